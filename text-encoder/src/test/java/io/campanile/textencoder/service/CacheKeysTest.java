package io.campanile.textencoder.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.campanile.contracts.JobRequestMessage;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CacheKeysTest {

    @Test
    void theKeyIsTheSha256OfPackAndNormalisedPrompt() {
        String key = EmbeddingCache.key("t5-v1_1-xxl", "a dog");
        assertTrue(key.matches("[0-9a-f]{64}"), key);
        assertEquals(key, EmbeddingCache.key("t5-v1_1-xxl", "  A Dog\n"), "IF lower-cases and strips prompts");
        assertNotEquals(key, EmbeddingCache.key("test-t5-encoder", "a dog"), "another encoder, another embedding");
        assertNotEquals(key, EmbeddingCache.key("t5-v1_1-xxl", "a  dog"), "inner white space is the tokenizer's");
        // pack ids have no line breaks (Manifests checks them), so the first "\n" always ends the pack id
        assertNotEquals(EmbeddingCache.key("a", "b\nc"), EmbeddingCache.key("a.b", "c"));
    }

    @Test
    void aRedeliveredRequestIsForwardedUnderTheSameEventId() {
        UUID event = UUID.randomUUID();
        JobRequestMessage first = request(event);
        JobRequestMessage again = request(event);
        assertEquals(TextEncodeService.forwardedEventId(first), TextEncodeService.forwardedEventId(again));
        assertNotEquals(event, TextEncodeService.forwardedEventId(first));
        assertNotEquals(
                TextEncodeService.forwardedEventId(first),
                TextEncodeService.forwardedEventId(request(UUID.randomUUID())));
    }

    private static JobRequestMessage request(UUID eventId) {
        return JobRequestMessage.builder()
                .eventId(eventId)
                .jobId(UUID.randomUUID())
                .jobType("sample")
                .model("m")
                .seed(1L)
                .params(JsonNodeFactory.instance.objectNode())
                .inputs(Map.of())
                .createdAt(Instant.now())
                .build();
    }
}
