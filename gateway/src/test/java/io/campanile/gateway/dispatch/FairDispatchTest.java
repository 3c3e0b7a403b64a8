package io.campanile.gateway.dispatch;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.campanile.contracts.JobEventMessage;
import io.campanile.contracts.Topics;
import io.campanile.gateway.FakeStorage;
import io.campanile.gateway.service.Dispatcher;
import io.campanile.gateway.service.JobEventApplier;
import io.campanile.testkit.Infrastructure;
import io.campanile.testkit.InfrastructureResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Fair-share dispatch on real PostgreSQL and Kafka (ADR 0016), with a window of 4 on stage I's lane and no worker:
 * jobs stay in flight until the test ends them as a worker would (a SUCCEEDED event through the applier). A second
 * tenant's job takes the next free slot instead of waiting behind the first tenant's backlog; a job cancelled while
 * it waits is never dispatched; dispatchers side by side never overfill the window.
 */
@QuarkusTest
@WithTestResource(value = InfrastructureResource.class, initArgs = @ResourceArg(name = "schema", value = "gateway"))
@WithTestResource(FakeStorage.class) // a submission registers its job with storage
@TestProfile(FairDispatchTest.SmallWindow.class)
class FairDispatchTest {
    static final int WINDOW = 4;
    static final String LANE = Topics.STAGE1_REQUESTS;
    static final String WORKER = "stage1-worker@fake#1";
    static final Duration WAIT = Duration.ofSeconds(20);

    /** Four jobs of stage I's lane in flight at most. */
    public static class SmallWindow implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("campanile.gateway.dispatch.windows." + LANE, Integer.toString(WINDOW));
        }
    }

    @Inject
    JobEventApplier applier;

    @Inject
    Dispatcher dispatcher;

    @BeforeEach
    void emptyWindows() throws Exception {
        DispatchRows.endEverything();
    }

    static UUID submit(String key) {
        String id = given().contentType("application/json")
                .header("Authorization", "Bearer " + key)
                .body(QuotaTest.SAMPLE)
                .when()
                .post("/v1/jobs")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        return UUID.fromString(id);
    }

    static List<UUID> submit(String key, int n) {
        List<UUID> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(submit(key));
        }
        return out;
    }

    /** Ends the job as its worker would. */
    void succeed(UUID job) {
        applier.apply(JobEventMessage.succeeded(job, WORKER, Map.of()));
    }

    static String tenant(String name) {
        return name + "-" + UUID.randomUUID();
    }

    @Test
    void aSecondTenantsJobTakesTheNextFreeSlotNotTheEndOfTheBacklog() throws Exception {
        String a = tenant("a");
        String b = tenant("b");
        String keyA = TenantKeys.create(a, false);
        String keyB = TenantKeys.create(b, false);
        submit(keyA, 50);
        await().atMost(WAIT).until(() -> DispatchRows.inFlight(a).size() == WINDOW);
        UUID single = submit(keyB);
        Thread.sleep(500); // the window is full: nothing more goes, whatever the ticks do
        assertFalse(DispatchRows.isDispatched(single), "no room yet");
        assertEquals(WINDOW, DispatchRows.dispatched(a).size());

        succeed(DispatchRows.inFlight(a).get(0));
        await().atMost(WAIT).until(() -> DispatchRows.isDispatched(single));
        assertEquals(WINDOW, DispatchRows.dispatched(a).size(), "the freed slot went to the second tenant");
        assertTrue(requestPublished(single), "its request is on " + LANE);

        succeed(DispatchRows.inFlight(a).get(0));
        await().atMost(WAIT).until(() -> DispatchRows.dispatched(a).size() == WINDOW + 1);
        assertEquals(WINDOW, DispatchRows.laneInFlight(LANE).size());
    }

    @Test
    void aJobCancelledWhileItWaitsEndsAndIsNeverDispatched() throws Exception {
        String a = tenant("a");
        String key = TenantKeys.create(a, false);
        List<UUID> jobs = submit(key, WINDOW + 1);
        await().atMost(WAIT).until(() -> DispatchRows.inFlight(a).size() == WINDOW);
        UUID waiting = jobs.get(WINDOW);
        assertTrue(DispatchRows.waiting(waiting));
        given().header("Authorization", "Bearer " + key)
                .post("/v1/jobs/" + waiting + "/cancel")
                .then()
                .statusCode(202)
                .body("status", equalTo("CANCELLED"));
        assertFalse(DispatchRows.waiting(waiting), "it left the dispatch queue");

        succeed(DispatchRows.inFlight(a).get(0));
        dispatcher.dispatchAll();
        assertFalse(DispatchRows.isDispatched(waiting));
        assertEquals(WINDOW - 1, DispatchRows.laneInFlight(LANE).size());
    }

    @Test
    void dispatchersSideBySideNeverOverfillTheWindow() throws Exception {
        String a = tenant("a");
        submit(TenantKeys.create(a, false), 30);
        await().atMost(WAIT).until(() -> DispatchRows.inFlight(a).size() == WINDOW);
        int replicas = 8;
        ExecutorService pool = Executors.newFixedThreadPool(replicas);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> passes = new ArrayList<>();
            for (int i = 0; i < replicas; i++) {
                passes.add(pool.submit(() -> {
                    go.await();
                    return dispatcher.dispatchAll();
                }));
            }
            DispatchRows.succeedQuietly(DispatchRows.inFlight(a)); // a whole window ends at once
            go.countDown();
            for (Future<Integer> pass : passes) {
                pass.get();
            }
        } finally {
            pool.shutdownNow();
        }
        await().atMost(WAIT).until(() -> DispatchRows.inFlight(a).size() == WINDOW);
        Thread.sleep(1500); // a tick or more: still no more than the window
        assertEquals(WINDOW, DispatchRows.inFlight(a).size());
        assertEquals(2 * WINDOW, DispatchRows.dispatched(a).size());
    }

    /**
     * The figures of the closing note: the second tenant's wait with and without the first tenant's backlog.
     * A fake stage I worker ends one job every {@link #PERIOD}, taking the lane's jobs in the order they were
     * dispatched (the order of the topic), from the moment the second tenant's job is accepted. The wait is from
     * that submission to its job's end, in time and in jobs the worker ended (its own included). For comparison, the
     * order before this change: the backlog's jobs all released at once, as the outbox used to publish them. Printed,
     * not asserted in time; the positions are asserted: the window plus one, against the whole backlog plus one.
     */
    @Test
    void fairShareFigures() throws Exception {
        submit(TenantKeys.create(tenant("warm-up"), false)); // the first submission loads what later ones reuse
        DispatchRows.endEverything();
        Wait alone = secondTenantsWait(0, false);
        DispatchRows.endEverything();
        Wait fair = secondTenantsWait(50, false);
        DispatchRows.endEverything();
        Wait fifo = secondTenantsWait(50, true);
        System.out.printf(
                "FAIR-SHARE second tenant's single job, submission to end (window %d, one job ended every %d ms):"
                        + " without a backlog %d ms (position %d); behind the first tenant's 50 queued jobs %d ms"
                        + " (position %d); the same backlog released at once as before (first come, first served)"
                        + " %d ms (position %d)%n",
                WINDOW,
                PERIOD.toMillis(),
                alone.millis(),
                alone.position(),
                fair.millis(),
                fair.position(),
                fifo.millis(),
                fifo.position());
        assertEquals(1, alone.position(), "alone: " + alone);
        assertTrue(fair.position() <= WINDOW + 1, "behind the backlog: " + fair);
        assertEquals(51, fifo.position(), "first come, first served: " + fifo);
    }

    static final Duration PERIOD = Duration.ofMillis(50);

    /** How long the second tenant's single job took, and its position among the jobs the worker ended. */
    record Wait(long millis, int position) {}

    private Wait secondTenantsWait(int backlog, boolean allAtOnce) throws Exception {
        String a = tenant("a");
        String keyA = TenantKeys.create(a, false);
        String keyB = TenantKeys.create(tenant("b"), false);
        submit(keyA, backlog);
        if (allAtOnce) {
            DispatchRows.releaseAll(a);
        }
        int expected = allAtOnce ? backlog : Math.min(WINDOW, backlog);
        await().atMost(WAIT).until(() -> DispatchRows.inFlight(a).size() == expected);
        long t0 = System.nanoTime();
        UUID single = submit(keyB);
        List<UUID> ended = new CopyOnWriteArrayList<>();
        ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor();
        worker.scheduleAtFixedRate(
                () -> {
                    try {
                        List<UUID> next = DispatchRows.laneInFlight(LANE);
                        if (!next.isEmpty()) {
                            succeed(next.get(0));
                            ended.add(next.get(0));
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                },
                0,
                PERIOD.toMillis(),
                TimeUnit.MILLISECONDS);
        try {
            await().atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(5))
                    .until(() -> ended.contains(single));
            return new Wait((System.nanoTime() - t0) / 1_000_000, ended.indexOf(single) + 1);
        } finally {
            worker.shutdownNow();
            worker.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** Whether the job's request message reached the lane's topic (the relay publishes it). */
    static boolean requestPublished(UUID job) {
        Properties p = new Properties();
        p.put("bootstrap.servers", Infrastructure.kafka().bootstrapServers());
        p.put("key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
        p.put("value.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
        p.put("enable.auto.commit", "false");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> partitions = consumer.partitionsFor(LANE).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    if (job.toString().equals(r.key())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
