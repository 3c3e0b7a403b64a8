package io.campanile.system;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.campanile.contracts.DeadLetterMessage;
import io.campanile.contracts.JobEventMessage;
import io.campanile.contracts.JobEventType;
import io.campanile.contracts.Json;
import io.campanile.contracts.Topics;
import io.restassured.path.json.JsonPath;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Kafka-level guarantees: exactly-once completion across two worker replicas, dead letters, cancellation. */
@ExtendWith(Stack.Extension.class)
class JobFlowTest {

    /** Reads a whole topic from the beginning until {@code done} holds or 30 s pass. */
    static void readTopic(String topic, Consumer<ConsumerRecord<String, String>> sink, BooleanSupplier done) {
        Properties p = new Properties();
        p.put("bootstrap.servers", Stack.get().kafka().bootstrapServers());
        p.put("group.id", "system-test-" + UUID.randomUUID());
        p.put("auto.offset.reset", "earliest");
        p.put("key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
        p.put("value.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p)) {
            // every partition assigned by hand: no group to join, so reading starts at once
            List<TopicPartition> partitions = c.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition()))
                    .toList();
            c.assign(partitions);
            c.seekToBeginning(partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!done.getAsBoolean() && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(300)).forEach(sink);
            }
        }
    }

    @Test
    void manyJobsAreEachRunExactlyOnceAcrossTwoWorkerReplicas() throws Exception {
        List<String> ids = IntStream.range(0, 24)
                .mapToObj(i -> Jobs.submit(Jobs.request("forward", "t", List.of(100 + i))))
                .toList();
        for (String id : ids) {
            assertEquals("SUCCEEDED", Jobs.awaitTerminal(id).getString("status"));
        }
        Map<String, Integer> started = new HashMap<>();
        Map<String, Integer> succeeded = new HashMap<>();
        Set<String> workers = new HashSet<>();
        readTopic(
                Topics.JOB_EVENTS,
                r -> {
                    try {
                        JobEventMessage e = Json.mapper().readValue(r.value(), JobEventMessage.class);
                        String job = e.jobId().toString();
                        if (!ids.contains(job)) {
                            return;
                        }
                        if (e.event() == JobEventType.STARTED) {
                            started.merge(job, 1, Integer::sum);
                            workers.add(e.source());
                        } else if (e.event() == JobEventType.SUCCEEDED) {
                            succeeded.merge(job, 1, Integer::sum);
                        }
                    } catch (Exception ex) {
                        throw new IllegalStateException(ex);
                    }
                },
                () -> succeeded.size() == ids.size());
        for (String id : ids) {
            assertEquals(1, started.get(id), "STARTED events of " + id);
            assertEquals(1, succeeded.get(id), "SUCCEEDED events of " + id);
        }
        assertEquals(Set.of("stage1-worker-1", "stage1-worker-2"), workers, "both replicas took jobs");
        Set<String> reported = new HashSet<>();
        ids.forEach(id -> reported.add(Jobs.job(id).getString("worker")));
        assertEquals(workers, reported);
    }

    @Test
    void aMalformedRequestIsDeadLetteredAndItsJobFailsWithTheReason() throws Exception {
        UUID job = UUID.randomUUID();
        try (Connection c = Stack.get().postgres().connect();
                PreparedStatement s = c.prepareStatement(
                        "insert into gateway.jobs (id, type, model, status, seed, params, inputs, created_at, updated_at) "
                                + "values (?, 'forward', 'IF-I-XL-v1.0', 'QUEUED', 1, '{}', '{}', now(), now())")) {
            s.setObject(1, job);
            s.executeUpdate();
        }
        Properties p = new Properties();
        p.put("bootstrap.servers", Stack.get().kafka().bootstrapServers());
        p.put("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
        p.put("value.serializer", "org.apache.kafka.common.serialization.StringSerializer");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            producer.send(new ProducerRecord<>(Topics.STAGE1_REQUESTS, job.toString(), "{not json"))
                    .get();
        }
        JsonPath failed = Jobs.awaitTerminal(job.toString());
        assertEquals("FAILED", failed.getString("status"));
        assertTrue(failed.getString("error").contains("malformed job request"), failed.getString("error"));
        List<DeadLetterMessage> letters = new ArrayList<>();
        readTopic(
                Topics.DEAD_LETTERS,
                r -> {
                    try {
                        DeadLetterMessage d = Json.mapper().readValue(r.value(), DeadLetterMessage.class);
                        if (job.equals(d.jobId())) {
                            letters.add(d);
                        }
                    } catch (Exception ex) {
                        throw new IllegalStateException(ex);
                    }
                },
                () -> !letters.isEmpty());
        assertEquals(1, letters.size());
        assertEquals(Topics.STAGE1_REQUESTS, letters.get(0).sourceTopic());
        assertEquals("{not json", letters.get(0).payload());
    }

    @Test
    void aCancelledJobStopsAndStaysCancelled() {
        List<Integer> many = IntStream.range(0, 64).map(i -> i * 15).boxed().toList();
        for (int attempt = 0; attempt < 5; attempt++) {
            String id = Jobs.submit(Jobs.request("blur_denoise", "t", many, "kernel_size", 99, "sigma", 20.0));
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> !Jobs.job(id).getString("status").equals("QUEUED"));
            int code = given().when()
                    .post("/v1/jobs/" + id + "/cancel")
                    .then()
                    .extract()
                    .statusCode();
            if (code == 409) {
                continue; // finished before we could cancel it; try a fresh one
            }
            assertEquals(202, code);
            JsonPath done = Jobs.awaitTerminal(id);
            assertEquals("CANCELLED", done.getString("status"));
            assertTrue(done.getList("outputs").size() < 1 + 2 * many.size(), "stopped early");
            given().when()
                    .post("/v1/jobs/" + id + "/cancel")
                    .then()
                    .statusCode(202)
                    .body("status", Matchers.equalTo("CANCELLED"));
            return;
        }
        throw new AssertionError("every job finished before it could be cancelled");
    }

    /** A job that keeps a stage-1 worker busy for seconds: 16 digits, 300 guided DDPM steps on the MNIST pack. */
    static Map<String, Object> longJob() {
        return Map.of(
                "type",
                "sample",
                "model",
                "mnist-class",
                "prompt",
                "7",
                "guidance_scale",
                5.0,
                "num_images",
                16,
                "seed",
                1);
    }

    /** The workers running one of the jobs now. */
    static Set<String> busyWorkers(List<String> jobs) {
        Set<String> busy = new HashSet<>();
        for (String id : jobs) {
            JsonPath j = Jobs.job(id);
            if (j.getString("status").equals("RUNNING")) {
                busy.add(j.getString("worker"));
            }
        }
        return busy;
    }

    @Test
    void aQueuedJobCancelledAtOnceNeverRuns() throws Exception {
        // Keep both stage-1 replicas busy with long jobs, so the next job certainly waits in its partition.
        List<String> blockers = new ArrayList<>();
        while (busyWorkers(blockers).size() < 2) {
            assertTrue(blockers.size() < 12, "could not keep both replicas busy: " + busyWorkers(blockers));
            int before = busyWorkers(blockers).size();
            blockers.add(Jobs.submit(longJob()));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (busyWorkers(blockers).size() == before && System.nanoTime() < deadline) {
                Thread.sleep(50); // the new job runs on an idle replica, or waits behind a busy one
            }
        }

        String id = Jobs.submit(Jobs.request("forward"));
        // Cancel it once it waits in its partition: cancelled before the gateway dispatches it, it would leave the
        // dispatch queue and no worker would ever see it (FairDispatchTest covers that path). With both replicas busy
        // and one job at a time each, it cannot have started.
        Set<String> published = new HashSet<>();
        readTopic(Topics.STAGE1_REQUESTS, r -> published.add(r.key()), () -> published.contains(id));
        assertTrue(published.contains(id), "the job was not dispatched within 30 s");
        given().when()
                .post("/v1/jobs/" + id + "/cancel")
                .then()
                .statusCode(202)
                .body("status", Matchers.equalTo("CANCELLED"));
        blockers.forEach(b -> given().post("/v1/jobs/" + b + "/cancel"));

        // The worker that takes the request reports that it skipped it; it never reports it started.
        List<JobEventMessage> events = new ArrayList<>();
        readTopic(
                Topics.JOB_EVENTS,
                r -> {
                    try {
                        JobEventMessage e = Json.mapper().readValue(r.value(), JobEventMessage.class);
                        if (e.jobId().toString().equals(id)) {
                            events.add(e);
                        }
                    } catch (Exception ex) {
                        throw new IllegalStateException(ex);
                    }
                },
                () -> events.stream().anyMatch(e -> e.event() == JobEventType.CANCELLED));
        assertEquals(
                List.of(JobEventType.CANCELLED),
                events.stream().map(JobEventMessage::event).toList());
        assertTrue(
                events.get(0).source().startsWith("stage1-worker-"),
                events.get(0).source());
        JsonPath after = Jobs.job(id);
        assertEquals("CANCELLED", after.getString("status"));
        assertEquals(0, after.getList("outputs").size(), "a cancelled queued job produces nothing");
        assertEquals(null, after.getString("worker"));
        assertEquals(null, after.getString("started_at"));
        given().baseUri(Stack.get().service("storage").url())
                .header("Authorization", "Bearer " + Stack.get().serviceToken("gateway"))
                .queryParam("job", id)
                .when()
                .get("/internal/images")
                .then()
                .statusCode(200)
                .body("$", Matchers.hasSize(0));
        blockers.forEach(Jobs::awaitTerminal);
    }
}
