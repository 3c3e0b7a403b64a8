package io.campanile.gateway;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.campanile.contracts.JobEventMessage;
import io.campanile.contracts.Topics;
import io.campanile.gateway.service.JobEventApplier;
import io.campanile.platform.KafkaSettings;
import io.campanile.testkit.Infrastructure;
import io.campanile.testkit.InfrastructureResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v1/workers} on a real broker and database: a consumer in stage1-worker's group shows as its one replica
 * holding every partition, its lag follows the records it has not committed, and its jobs are counted; the gateway's
 * meters are at {@code /q/metrics}.
 */
@QuarkusTest
@WithTestResource(value = InfrastructureResource.class, initArgs = @ResourceArg(name = "schema", value = "gateway"))
class WorkersApiTest {
    @Inject
    JobEventApplier applier;

    static JsonPath workers() {
        return given().when()
                .get("/v1/workers")
                .then()
                .statusCode(200)
                .contentType("application/json")
                .extract()
                .jsonPath();
    }

    static String kind(String name) {
        return "find { it.kind == '" + name + "' }";
    }

    @Test
    void aReplicaItsPartitionsAndItsLagAreShown() {
        KafkaSettings settings = new KafkaSettings(Infrastructure.kafka().bootstrapServers(), "workers-api-test");
        try (KafkaConsumer<String, String> replica =
                        new KafkaConsumer<>(settings.consumer("stage1-worker", 1, 60_000));
                KafkaProducer<String, String> producer = new KafkaProducer<>(settings.producer())) {
            replica.subscribe(List.of(Topics.STAGE1_REQUESTS));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                replica.poll(Duration.ofMillis(100));
                return !replica.assignment().isEmpty();
            });
            TopicPartition p0 = new TopicPartition(Topics.STAGE1_REQUESTS, 0);
            replica.commitSync(Map.of(p0, new OffsetAndMetadata(end(replica, p0))));
            for (int i = 0; i < 3; i++) {
                producer.send(new ProducerRecord<>(Topics.STAGE1_REQUESTS, 0, "k" + i, "{}"));
            }
            producer.flush();
            // the reading is kept for 2 s: wait until it shows the three records past the commit
            await().atMost(Duration.ofSeconds(15))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> workers().getLong(kind("stage1-worker") + ".lag_by_partition.'0'") >= 3);
            JsonPath w = workers();
            String s1 = kind("stage1-worker");
            assertEquals(Topics.STAGE1_REQUESTS, w.getString(s1 + ".topic"));
            assertEquals("stage1-worker", w.getString(s1 + ".group"));
            assertEquals(1, w.getInt(s1 + ".replicas"));
            int partitions = w.getInt(s1 + ".partitions");
            assertTrue(partitions >= 6, "worker topics have at least 6 partitions: " + partitions);
            assertEquals(
                    IntStream.range(0, partitions).boxed().toList(),
                    w.getList(s1 + ".members[0].partitions", Integer.class),
                    "the only replica holds every partition");
            Map<String, Number> byPartition = w.getMap(s1 + ".lag_by_partition");
            assertEquals(partitions, byPartition.size());
            assertEquals(
                    byPartition.values().stream().mapToLong(Number::longValue).sum(), w.getLong(s1 + ".lag"));
            assertEquals(List.of("text-encoder", "stage1-worker", "stage2-worker", "trainer"), w.getList("kind"));
        }
    }

    private static long end(KafkaConsumer<String, String> c, TopicPartition p) {
        return c.endOffsets(List.of(p)).get(p);
    }

    @Test
    void runningAndRecentlyFinishedJobsCountForTheKindOfTheirWorker() throws Exception {
        JsonPath before = workers();
        String s1 = kind("stage1-worker");
        String s2 = kind("stage2-worker");
        UUID running = JobRows.insert("QUEUED");
        applier.apply(JobEventMessage.started(
                running, "stage1-worker-2", 1, Instant.now().plusSeconds(60)));
        UUID done = JobRows.insert("QUEUED");
        applier.apply(JobEventMessage.started(
                done, "stage2-worker@host#7", 1, Instant.now().plusSeconds(60)));
        applier.apply(JobEventMessage.succeeded(done, "stage2-worker@host#7", Map.of("run_ms", 5L)));
        UUID failed = JobRows.insert("QUEUED");
        applier.apply(JobEventMessage.started(
                failed, "stage2-worker@host#7", 1, Instant.now().plusSeconds(60)));
        applier.apply(JobEventMessage.failed(failed, "stage2-worker@host#7", "broken"));
        UUID old = JobRows.insert("QUEUED");
        applier.apply(JobEventMessage.started(
                old, "stage2-worker@host#7", 1, Instant.now().plusSeconds(60)));
        applier.apply(JobEventMessage.succeeded(old, "stage2-worker@host#7", Map.of("run_ms", 5L)));
        JobRows.update(old, "finished_at = now() - interval '6 minutes'");

        JsonPath after = workers();
        assertEquals(before.getLong(s1 + ".running_jobs") + 1, after.getLong(s1 + ".running_jobs"));
        assertEquals(before.getLong(s2 + ".succeeded_last_5_min") + 1, after.getLong(s2 + ".succeeded_last_5_min"));
        assertEquals(before.getLong(s2 + ".failed_last_5_min") + 1, after.getLong(s2 + ".failed_last_5_min"));
        assertEquals(before.getLong(s2 + ".running_jobs"), after.getLong(s2 + ".running_jobs"));
    }

    @Test
    void theGatewaysMetersAreAtQMetrics() throws Exception {
        UUID job = JobRows.insert("QUEUED");
        JobRows.update(job, "created_at = now() - interval '3 seconds'");
        applier.apply(
                JobEventMessage.started(job, "stage1-worker-1", 1, Instant.now().plusSeconds(60)));
        String metrics = given().when()
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .body(containsString("campanile_job_queue_wait_seconds_count{type=\"forward\"}"))
                .extract()
                .asString();
        assertTrue(
                metrics.contains("campanile_consumer_lag{group=\"stage1-worker\",topic=\"stage1-requests\"}"),
                "lag per worker group");
        // campanile_jobs is refreshed every campanile.gateway.metrics-interval (15 s)
        await().atMost(Duration.ofSeconds(40))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> gauge(given().when().get("/q/metrics").asString(), RUNNING_FORWARD) >= 1);
    }

    private static final String RUNNING_FORWARD = "campanile_jobs{status=\"RUNNING\",type=\"forward\"} ";

    /** The value of the sample whose line starts with {@code series}, or -1 when there is none. */
    static double gauge(String metrics, String series) {
        return metrics.lines()
                .filter(l -> l.startsWith(series))
                .mapToDouble(
                        l -> Double.parseDouble(l.substring(series.length()).trim()))
                .findFirst()
                .orElse(-1);
    }
}
