package io.campanile.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PromptFieldsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode params(String json) throws Exception {
        return (ObjectNode) JSON.readTree(json);
    }

    @Test
    void collectsTextPromptsOnly() throws Exception {
        ObjectNode p = params("{\"prompt\":\"a peacock\",\"negative_prompt\":\"\",\"prompts\":[\"a skull\",3,"
                + "\"a peacock\"],\"prompt_low\":\"low\",\"prompt_high\":null,\"steps\":20}");
        assertEquals(
                Map.of(
                        "prompt",
                        "a peacock",
                        "negative_prompt",
                        "",
                        "prompts[0]",
                        "a skull",
                        "prompts[2]",
                        "a peacock",
                        "prompt_low",
                        "low"),
                PromptFields.of(p));
        assertEquals(Set.of("", "a peacock", "a skull", "low"), PromptFields.toEncode(p));
    }

    @Test
    void theUnconditionalPromptIsAlwaysEncoded() throws Exception {
        assertEquals(Set.of(""), PromptFields.toEncode(params("{\"steps\":3}")));
        assertEquals(Set.of(""), PromptFields.toEncode(null));
    }

    @Test
    void warnsAboutTruncatedPromptsOnly() throws Exception {
        try (T5Tokenizer tok = T5Tokenizer.load()) {
            String longPrompt = "dog ".repeat(100);
            ObjectNode p = params("{\"prompts\":[\"a peacock\"," + JSON.writeValueAsString(longPrompt) + "]}");
            List<String> warnings = TruncationWarnings.of(tok, p);
            assertEquals(1, warnings.size(), warnings.toString());
            assertTrue(warnings.get(0).startsWith("'prompts[1]' is longer than the 77 tokens"), warnings.get(0));
            assertTrue(warnings.get(0).endsWith("cut after \"...dog dog dog dog dog\""), warnings.get(0));
            assertEquals(List.of(), TruncationWarnings.of(tok, params("{\"prompt\":\"a peacock\"}")));
        }
    }
}
