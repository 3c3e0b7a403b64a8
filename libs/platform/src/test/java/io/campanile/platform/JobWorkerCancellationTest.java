package io.campanile.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.campanile.contracts.JobControlMessage;
import io.campanile.contracts.JobEventMessage;
import io.campanile.contracts.JobEventType;
import io.campanile.contracts.JobRequestMessage;
import io.campanile.contracts.Json;
import io.campanile.contracts.Topics;
import io.campanile.testkit.Infrastructure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A worker takes a request from its partition: a job whose cancellation is already on job-control is skipped and
 * reported CANCELLED, even by a worker that has just started and not yet read job-control; other jobs run.
 */
class JobWorkerCancellationTest {
    static final String INSTANCE = "test-worker";
    static KafkaSettings settings;
    static JsonProducer producer;

    @BeforeAll
    static void broker() {
        settings = new KafkaSettings(Infrastructure.kafka().bootstrapServers(), INSTANCE);
        new TopicAdmin(6, 6, (short) 1).ensureTopics(settings.bootstrapServers());
        producer = new JsonProducer(settings);
    }

    @AfterAll
    static void close() {
        producer.close();
    }

    static ConsumerRecord<String, String> request(UUID job) {
        JobRequestMessage m = JobRequestMessage.builder()
                .jobId(job)
                .jobType("forward")
                .model("IF-I-XL-v1.0")
                .seed(1)
                .params(Json.mapper().createObjectNode())
                .inputs(Map.of())
                .createdAt(Instant.now())
                .build();
        return new ConsumerRecord<>(Topics.STAGE1_REQUESTS, 0, 0, job.toString(), JsonProducer.toJson(m));
    }

    /** Runs the request on a freshly started worker (new registry) and says whether the operation ran. */
    static boolean runOnAFreshWorker(UUID job) {
        AtomicBoolean ran = new AtomicBoolean();
        try (CancellationRegistry registry = new CancellationRegistry(settings, INSTANCE);
                FakeStorage storage = new FakeStorage()) {
            registry.start();
            JobWorker worker = new JobWorker(
                    Operations.of(List.of((TestOperation) context -> ran.set(true))),
                    new JobWorker.Services(
                            producer,
                            new StorageClient(storage.url()),
                            registry,
                            INSTANCE,
                            0,
                            Topics.STAGE1_REQUESTS,
                            JobPolicy.defaults()));
            worker.handle(request(job), () -> false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ran.get();
    }

    /** The events reported for the job, in order (read from job-events with a fresh group). */
    static List<JobEventType> events(UUID job, JobEventType last) throws Exception {
        return messages(job, last).stream().map(JobEventMessage::event).toList();
    }

    /** The events reported for the job, whole, in order, up to the first of type {@code last} (or 20 s). */
    static List<JobEventMessage> messages(UUID job, JobEventType last) throws Exception {
        Properties p = settings.consumer("events-" + UUID.randomUUID(), 500, 300_000);
        List<JobEventMessage> out = new ArrayList<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p)) {
            c.subscribe(List.of(Topics.JOB_EVENTS));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (out.stream().noneMatch(e -> e.event() == last) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
                    JobEventMessage e = Json.mapper().readValue(r.value(), JobEventMessage.class);
                    if (job.equals(e.jobId())) {
                        out.add(e);
                    }
                }
            }
        }
        return out;
    }

    @Test
    void aJobCancelledWhileQueuedIsSkippedByAWorkerThatHasJustStarted() throws Exception {
        UUID job = UUID.randomUUID();
        producer.send(Topics.JOB_CONTROL, job.toString(), JobControlMessage.cancel(job));
        assertFalse(runOnAFreshWorker(job), "a cancelled job must not run");
        assertEquals(List.of(JobEventType.CANCELLED), events(job, JobEventType.CANCELLED));
    }

    @Test
    void aJobThatIsNotCancelledRunsAtOnce() throws Exception {
        producer.send(Topics.JOB_CONTROL, "other", JobControlMessage.cancel(UUID.randomUUID()));
        UUID job = UUID.randomUUID();
        long t0 = System.nanoTime();
        assertTrue(runOnAFreshWorker(job));
        assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(8).toNanos(), "waited for job-control too long");
        assertEquals(List.of(JobEventType.STARTED, JobEventType.SUCCEEDED), events(job, JobEventType.SUCCEEDED));
    }
}
