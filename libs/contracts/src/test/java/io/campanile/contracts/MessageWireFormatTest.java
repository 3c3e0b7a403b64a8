package io.campanile.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The JSON of the messages, byte for byte, as the record constructors wrote it before the builders and factories
 * came: the property names and their order are a contract between services of different versions.
 */
class MessageWireFormatTest {
    private static final UUID EVENT = UUID.fromString("00000000-0000-0000-0000-000000000001");
    private static final UUID JOB = UUID.fromString("00000000-0000-0000-0000-000000000002");
    private static final Instant T = Instant.parse("2026-12-01T10:15:30.123Z");
    private static final String A = "a".repeat(64);
    private static final String C = "c".repeat(64);

    private static String json(Object message) throws Exception {
        return Json.mapper().writeValueAsString(message);
    }

    private static ObjectNode params() {
        return Json.mapper().createObjectNode().put("prompt", "a dog").put("steps", 20);
    }

    @Test
    void jobRequest() throws Exception {
        JobRequestMessage m = JobRequestMessage.builder()
                .eventId(EVENT)
                .jobId(JOB)
                .jobType("sample")
                .model("m")
                .seed(42L)
                .params(params())
                .inputs(Map.of("image", new BlobRef(A)))
                .createdAt(T)
                .build();
        assertEquals(
                "{\"eventId\":\"00000000-0000-0000-0000-000000000001\",\"jobId\":"
                        + "\"00000000-0000-0000-0000-000000000002\",\"type\":\"job-request\",\"schemaVersion\":1,"
                        + "\"jobType\":\"sample\",\"model\":\"m\",\"seed\":42,\"params\":{\"prompt\":\"a dog\",\"steps\":20},"
                        + "\"inputs\":{\"image\":{\"sha256\":\"" + A
                        + "\"}},\"createdAt\":\"2026-12-01T10:15:30.123Z\","
                        + "\"embeddings\":null}",
                json(m));
        assertEquals(m, Json.mapper().readValue(json(m), JobRequestMessage.class));
    }

    @Test
    void jobRequestWithEmbeddingsKeepsTheJob() throws Exception {
        JobRequestMessage m = JobRequestMessage.builder()
                .eventId(UUID.randomUUID())
                .jobId(JOB)
                .jobType("sample")
                .model("m")
                .seed(42L)
                .params(params())
                .createdAt(T)
                .build()
                .withEmbeddings(EVENT, Map.of("a dog", new BlobRef(C)));
        assertEquals(
                "{\"eventId\":\"00000000-0000-0000-0000-000000000001\",\"jobId\":"
                        + "\"00000000-0000-0000-0000-000000000002\",\"type\":\"job-request\",\"schemaVersion\":1,"
                        + "\"jobType\":\"sample\",\"model\":\"m\",\"seed\":42,\"params\":{\"prompt\":\"a dog\",\"steps\":20},"
                        + "\"inputs\":{},\"createdAt\":\"2026-12-01T10:15:30.123Z\","
                        + "\"embeddings\":{\"a dog\":{\"sha256\":\"" + C + "\"}}}",
                json(m));
        assertNotEquals(EVENT, m.withEmbeddings(Map.of()).eventId());
    }

    @Test
    void aNewRequestGetsAFreshEventId() {
        JobRequestMessage a = JobRequestMessage.builder().jobId(JOB).build();
        JobRequestMessage b = JobRequestMessage.builder().jobId(JOB).build();
        assertNotEquals(a.eventId(), b.eventId());
        assertEquals(JobRequestMessage.TYPE, a.type());
        assertEquals(JobRequestMessage.SCHEMA_VERSION, a.schemaVersion());
        assertNull(a.embeddings());
    }

    /** The event's JSON with its random id and time replaced by fixed ones. */
    private static String fixed(JobEventMessage e) throws Exception {
        return json(e).replace(e.eventId().toString(), EVENT.toString())
                .replace("\"occurredAt\":\"" + e.occurredAt() + "\"", "\"occurredAt\":\"" + T + "\"");
    }

    @Test
    void jobEvents() throws Exception {
        String head = "{\"eventId\":\"00000000-0000-0000-0000-000000000001\",\"jobId\":"
                + "\"00000000-0000-0000-0000-000000000002\",\"type\":\"job-event\",\"schemaVersion\":1,";
        assertEquals(
                head + "\"event\":\"STARTED\",\"source\":\"w1\",\"occurredAt\":\"2026-12-01T10:15:30.123Z\","
                        + "\"progress\":null,\"output\":null,\"error\":null,\"timings\":null,\"attempt\":2,"
                        + "\"leaseExpiresAt\":\"2026-12-01T10:15:30.123Z\",\"preview\":null}",
                fixed(JobEventMessage.started(JOB, "w1", 2, T)));
        assertEquals(
                head + "\"event\":\"SUCCEEDED\",\"source\":\"w1\",\"occurredAt\":\"2026-12-01T10:15:30.123Z\","
                        + "\"progress\":null,\"output\":null,\"error\":null,\"timings\":{\"run_ms\":5},\"attempt\":null,"
                        + "\"leaseExpiresAt\":null,\"preview\":null}",
                fixed(JobEventMessage.succeeded(JOB, "w1", Map.of("run_ms", 5L))));
        assertEquals(
                head + "\"event\":\"FAILED\",\"source\":\"w1\",\"occurredAt\":\"2026-12-01T10:15:30.123Z\","
                        + "\"progress\":null,\"output\":null,\"error\":\"boom\",\"timings\":null,\"attempt\":null,"
                        + "\"leaseExpiresAt\":null,\"preview\":null}",
                fixed(JobEventMessage.failed(JOB, "w1", "boom")));
        JobEventMessage heartbeat = JobEventMessage.heartbeat(JOB, "w1", 3, T);
        assertEquals(JobEventType.HEARTBEAT, heartbeat.event());
        assertEquals(3, heartbeat.attempt());
        assertEquals(heartbeat, Json.mapper().readValue(json(heartbeat), JobEventMessage.class));
    }

    @Test
    void storedImage() throws Exception {
        StoredImage registration = StoredImage.builder()
                .jobId(JOB)
                .role("noisy t=250")
                .ordinal(3)
                .png(new BlobRef(A))
                .shape(List.of(3, 64, 64))
                .dtype("float32")
                .valueRange("[-1,1]")
                .build();
        assertEquals(
                "{\"id\":null,\"jobId\":\"00000000-0000-0000-0000-000000000002\",\"role\":\"noisy t=250\","
                        + "\"ordinal\":3,\"png\":{\"sha256\":\"" + A + "\"},\"tensor\":null,\"shape\":[3,64,64],"
                        + "\"dtype\":\"float32\",\"valueRange\":\"[-1,1]\",\"createdAt\":null}",
                json(registration));
        StoredImage stored = StoredImage.builder()
                .id(EVENT)
                .jobId(JOB)
                .role("x")
                .ordinal(0)
                .png(new BlobRef(A))
                .tensor(new BlobRef(C))
                .shape(List.of(3, 8, 8))
                .dtype("float32")
                .valueRange("[0,1]")
                .createdAt(T)
                .build();
        assertEquals(
                "{\"id\":\"00000000-0000-0000-0000-000000000001\",\"jobId\":"
                        + "\"00000000-0000-0000-0000-000000000002\",\"role\":\"x\",\"ordinal\":0,\"png\":{\"sha256\":\""
                        + A
                        + "\"},\"tensor\":{\"sha256\":\"" + C + "\"},\"shape\":[3,8,8],\"dtype\":\"float32\","
                        + "\"valueRange\":\"[0,1]\",\"createdAt\":\"2026-12-01T10:15:30.123Z\"}",
                json(stored));
        assertEquals(stored, Json.mapper().readValue(json(stored), StoredImage.class));
        assertEquals(EVENT, registration.registered(EVENT, T).id());
    }
}
