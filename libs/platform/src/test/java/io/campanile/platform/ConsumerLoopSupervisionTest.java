package io.campanile.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.campanile.testkit.Infrastructure;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The supervised consumer loop on a real broker: jobs longer than the group's poll bound run once, a polling thread
 * that fails is replaced, a stuck one turns liveness DOWN, a stop hands the job in hand back, and a poison record is
 * dead-lettered without blocking its partition.
 */
class ConsumerLoopSupervisionTest {
    private static KafkaSettings settings;

    @BeforeAll
    static void topics() {
        settings = new KafkaSettings(Infrastructure.kafka().bootstrapServers(), "supervision-test");
        new TopicAdmin(6, 6, (short) 1).ensureTopics(settings.bootstrapServers()); // dead-letters among them
    }

    private static String newTopic() throws Exception {
        String topic = "supervision-" + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", settings.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        return topic;
    }

    private static long committed(String group, String topic) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", settings.bootstrapServers()))) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS);
            OffsetAndMetadata o = offsets.get(new TopicPartition(topic, 0));
            return o == null ? 0 : o.offset();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(BooleanSupplier condition, Duration max, String what) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(100);
        }
    }

    private static ConsumerLoop.Settings oneAtATime(Duration grace) {
        return new ConsumerLoop.Settings(grace, Duration.ofSeconds(60), 1, Duration.ZERO);
    }

    @Test
    void aJobLongerThanTheGroupsPollBoundRunsOnceAndIsCommitted() throws Exception {
        String topic = newTopic();
        String group = "g-" + topic;
        List<String> handled = Collections.synchronizedList(new ArrayList<>());
        try (JsonProducer producer = new JsonProducer(settings)) {
            producer.sendRaw(topic, "a", "first");
            producer.sendRaw(topic, "b", "second");
            // max.poll.interval.ms of 3 s, jobs of 7 s: the old loop, which ran jobs on the polling thread, lost its
            // partition in the middle of every job and the next owner ran the job again.
            Properties props = settings.consumer(group, 1, 3_000);
            ConsumerLoop loop = new ConsumerLoop(
                    "long-jobs",
                    props,
                    List.of(topic),
                    batch -> {
                        for (ConsumerRecord<String, String> r : batch.records()) {
                            handled.add(r.value());
                            Backoff.sleep(7_000);
                            batch.done(r);
                        }
                    },
                    oneAtATime(Duration.ofSeconds(10)));
            loop.start();
            await(() -> committed(group, topic) == 2, Duration.ofSeconds(60), "both jobs are committed");
            assertTrue(
                    loop.health().live() && loop.health().ready(), loop.health().toString());
            loop.close();
        }
        assertEquals(List.of("first", "second"), handled, "each job ran exactly once, in order");
    }

    @Test
    void caughtUpAtPassesARecordOnlyOnceTheRecordIsHandled() throws Exception {
        String topic = newTopic();
        CountDownLatch release = new CountDownLatch(1);
        try (JsonProducer producer = new JsonProducer(settings)) {
            ConsumerLoop loop = new ConsumerLoop(
                    "caught-up",
                    settings.consumer("g-" + topic, 1, 60_000),
                    List.of(topic),
                    batch -> {
                        try {
                            release.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        batch.records().forEach(batch::done);
                    },
                    oneAtATime(Duration.ofSeconds(1)));
            loop.trackCaughtUp();
            loop.start();
            await(() -> loop.caughtUpAt() != null, Duration.ofSeconds(30), "the empty topic is caught up");
            Instant sent = Instant.now();
            producer.sendRaw(topic, "k", "an event");
            Thread.sleep(3000);
            assertTrue(loop.caughtUpAt().isBefore(sent), "not caught up while the record is in hand");
            release.countDown();
            await(() -> loop.caughtUpAt().isAfter(sent), Duration.ofSeconds(30), "caught up past the record");
            loop.close();
        }
    }

    @Test
    void aPollingThreadThatFailsIsReplacedAndTheLoopGoesOn() throws Exception {
        String topic = newTopic();
        String group = "g-" + topic;
        AtomicInteger made = new AtomicInteger();
        List<String> handled = Collections.synchronizedList(new ArrayList<>());
        try (JsonProducer producer = new JsonProducer(settings)) {
            // the first consumer fails on its tenth poll, as a commit failure or an Error would
            ConsumerLoop loop = new ConsumerLoop(
                    "failing-poll",
                    settings.consumer(group, 1, 60_000),
                    List.of(topic),
                    batch -> batch.records().forEach(r -> {
                        handled.add(r.value());
                        batch.done(r);
                    }),
                    oneAtATime(Duration.ofSeconds(5)),
                    props -> {
                        boolean first = made.getAndIncrement() == 0;
                        return new KafkaConsumer<>(props) {
                            private int polls;

                            @Override
                            public ConsumerRecords<String, String> poll(Duration timeout) {
                                if (first && ++polls == 10) {
                                    throw new OutOfMemoryError("injected on the polling thread");
                                }
                                return super.poll(timeout);
                            }
                        };
                    });
            loop.start();
            await(() -> made.get() >= 2, Duration.ofSeconds(30), "a second consumer is made");
            producer.sendRaw(topic, "k", "after the failure");
            await(() -> committed(group, topic) == 1, Duration.ofSeconds(60), "the record is committed");
            assertEquals(1, loop.health().restarts());
            assertTrue(loop.health().live(), "the replaced loop is live");
            loop.close();
        }
        assertEquals(List.of("after the failure"), handled);
    }

    @Test
    void aStuckPollingThreadTurnsLivenessDown() throws Exception {
        String topic = newTopic();
        CountDownLatch stuck = new CountDownLatch(1);
        ConsumerLoop loop = new ConsumerLoop(
                "stuck-poll",
                settings.consumer("g-" + topic, 1, 60_000),
                List.of(topic),
                batch -> {},
                new ConsumerLoop.Settings(Duration.ZERO, Duration.ofSeconds(1), 1, Duration.ZERO),
                props -> new KafkaConsumer<>(props) {
                    @Override
                    public ConsumerRecords<String, String> poll(Duration timeout) {
                        try {
                            stuck.await(); // as a poll blocked in a native call or a deadlock would
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        throw new KafkaException("released");
                    }
                });
        loop.start();
        await(() -> !loop.health().live(), Duration.ofSeconds(10), "liveness is DOWN");
        assertFalse(
                ConsumerLoops.health().stream()
                        .filter(h -> h.name().equals("stuck-poll"))
                        .findFirst()
                        .orElseThrow()
                        .live(),
                "the health checks see it");
        stuck.countDown();
        loop.close();
    }

    @Test
    void aStopHandsBackTheJobInHandUncommittedAndItIsRedelivered() throws Exception {
        String topic = newTopic();
        String group = "g-" + topic;
        CountDownLatch started = new CountDownLatch(1);
        AtomicInteger handedBack = new AtomicInteger();
        try (JsonProducer producer = new JsonProducer(settings)) {
            producer.sendRaw(topic, "k", "long job");
            ConsumerLoop loop = new ConsumerLoop(
                    "hand-back",
                    settings.consumer(group, 1, 60_000),
                    List.of(topic),
                    batch -> {
                        started.countDown();
                        while (!batch.handBack()) { // a job's steps
                            Backoff.sleep(50);
                        }
                        handedBack.incrementAndGet();
                    },
                    oneAtATime(Duration.ofSeconds(1)));
            loop.start();
            assertTrue(started.await(60, TimeUnit.SECONDS), "the job never started");
            long t0 = System.nanoTime();
            loop.close();
            assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(20).toNanos(), "close took too long");
        }
        assertEquals(1, handedBack.get());
        assertEquals(0, committed(group, topic), "a job handed back is not committed");
        List<String> again = new ArrayList<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(settings.consumer(group, 10, 60_000))) {
            c.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (again.isEmpty() && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(r -> again.add(r.value()));
            }
        }
        assertEquals(List.of("long job"), again, "the next owner gets the job again");
    }

    @Test
    void aPoisonRecordIsDeadLetteredAfterThreeTriesAndTheNextRecordRuns() throws Exception {
        String topic = newTopic();
        String group = "g-" + topic;
        AtomicInteger poisonTries = new AtomicInteger();
        List<String> handled = Collections.synchronizedList(new ArrayList<>());
        List<String> deadLettered = Collections.synchronizedList(new ArrayList<>());
        try (JsonProducer producer = new JsonProducer(settings)) {
            producer.sendRaw(topic, "p", "poison");
            producer.sendRaw(topic, "k", "good");
            ConsumerLoop.RecordHandler handler = new ConsumerLoop.RecordHandler() {
                @Override
                public void handle(ConsumerRecord<String, String> r, BooleanSupplier handBack) {
                    if (r.value().equals("poison")) {
                        poisonTries.incrementAndGet();
                        throw new IllegalStateException("cannot apply this event");
                    }
                    handled.add(r.value());
                }

                @Override
                public void onDeadLetter(ConsumerRecord<String, String> r, String reason) {
                    deadLettered.add(r.value() + ": " + reason);
                }
            };
            ConsumerLoop loop = new ConsumerLoop(
                    "poison",
                    settings.consumer(group, 10, 60_000),
                    List.of(topic),
                    handler,
                    new DeadLetters(producer, "poison-test"),
                    Integer.MAX_VALUE);
            loop.start();
            await(() -> committed(group, topic) == 2, Duration.ofSeconds(60), "both records are committed");
            loop.close();
        }
        assertEquals(3, poisonTries.get());
        assertEquals(List.of("good"), handled);
        assertEquals(1, deadLettered.size());
        assertTrue(deadLettered.get(0).startsWith("poison: unexpected IllegalStateException"), deadLettered.get(0));
    }
}
