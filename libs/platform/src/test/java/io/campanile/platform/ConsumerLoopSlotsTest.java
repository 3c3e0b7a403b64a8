package io.campanile.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.campanile.testkit.Infrastructure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * A loop with several work slots runs records of one partition at once; its commit never passes a record still
 * running, and records handed back at close come again to the next member. A record whose end goes on off its slot
 * lets the next record run, and is committed only once that end completes; an end handed back brings it again.
 */
class ConsumerLoopSlotsTest {
    private static final KafkaSettings SETTINGS =
            new KafkaSettings(Infrastructure.kafka().bootstrapServers(), "slots-test");

    @Test
    void recordsOfOnePartitionRunAtOnceAndTheCommitWaitsForTheOldest() throws Exception {
        String topic = topic();
        String group = "group-" + topic;
        send(topic, 4);
        CountDownLatch threeRunning = new CountDownLatch(3);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        Set<Long> done = ConcurrentHashMap.newKeySet();
        ConsumerLoop.RecordHandler handler = (record, handBack) -> {
            mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
            threeRunning.countDown();
            try {
                if (record.offset() == 0) {
                    await(releaseFirst); // the oldest record runs longest
                } else {
                    await(threeRunning);
                }
            } finally {
                running.decrementAndGet();
            }
            done.add(record.offset());
        };
        try (JsonProducer producer = new JsonProducer(SETTINGS)) {
            ConsumerLoop loop = loop(topic, group, handler, producer, 3);
            loop.start();
            assertTrue(threeRunning.await(60, TimeUnit.SECONDS), "three records never ran at once");
            waitUntil(() -> done.containsAll(List.of(1L, 2L, 3L)), "records 1 to 3 end while 0 runs");
            Thread.sleep(1000); // rounds of the polling thread, each of which would commit what may be committed
            assertEquals(0L, committedOrZero(group, topic), "nothing is committed past record 0 while it runs");
            releaseFirst.countDown();
            waitUntil(() -> Long.valueOf(4).equals(committed(group, topic)), "all four committed once 0 ended");
            loop.close();
        }
        assertEquals(3, mostAtOnce.get(), "at most three at once: one per slot");
    }

    @Test
    void recordsHandedBackAtCloseComeAgainAndThoseDoneDoNot() throws Exception {
        String topic = topic();
        String group = "group-" + topic;
        send(topic, 3);
        CountDownLatch twoStarted = new CountDownLatch(2);
        List<Long> first = new ArrayList<>();
        ConsumerLoop.RecordHandler slow = (record, handBack) -> {
            if (record.offset() == 2) {
                synchronized (first) {
                    first.add(record.offset());
                }
                return; // done at once
            }
            twoStarted.countDown();
            while (!handBack.getAsBoolean()) {
                Backoff.sleep(20);
            }
            throw new JobHandedBackException("handed back");
        };
        try (JsonProducer producer = new JsonProducer(SETTINGS)) {
            ConsumerLoop loop = loop(topic, group, slow, producer, 3);
            loop.start();
            assertTrue(twoStarted.await(60, TimeUnit.SECONDS), "records 0 and 1 never ran");
            waitUntil(
                    () -> {
                        synchronized (first) {
                            return first.contains(2L);
                        }
                    },
                    "record 2 ends while 0 and 1 run");
            loop.close(); // the stop grace (0 s) passes: 0 and 1 are handed back
        }
        assertEquals(Long.valueOf(0), committedOrZero(group, topic), "the commit stays before the records handed back");
        Set<Long> second = ConcurrentHashMap.newKeySet();
        try (JsonProducer producer = new JsonProducer(SETTINGS)) {
            ConsumerLoop loop = loop(topic, group, (record, handBack) -> second.add(record.offset()), producer, 3);
            loop.start();
            waitUntil(() -> second.containsAll(List.of(0L, 1L)), "records 0 and 1 come again");
            waitUntil(() -> Long.valueOf(3).equals(committed(group, topic)), "all three committed");
            loop.close();
        }
    }

    @Test
    void aRecordEndingOffItsSlotLetsTheNextOneRunAndIsCommittedOnlyOnceItsEndCompletes() throws Exception {
        String topic = topic();
        String group = "group-" + topic;
        send(topic, 3);
        CompletableFuture<Void> firstEnd = new CompletableFuture<>();
        Set<Long> computed = ConcurrentHashMap.newKeySet();
        ConsumerLoop.RecordHandler handler = finishing(record -> {
            computed.add(record.offset());
            return record.offset() == 0 ? firstEnd : null; // record 0's outputs are still being stored
        });
        try (JsonProducer producer = new JsonProducer(SETTINGS)) {
            ConsumerLoop loop = loop(topic, group, handler, producer, 1);
            loop.start();
            waitUntil(() -> computed.containsAll(List.of(0L, 1L, 2L)), "records 1 and 2 run on the one slot");
            Thread.sleep(1000); // rounds of the polling thread, each of which would commit what may be committed
            assertEquals(0L, committedOrZero(group, topic), "nothing is committed while record 0 still ends");
            firstEnd.complete(null);
            waitUntil(() -> Long.valueOf(3).equals(committed(group, topic)), "all three committed once 0 ended");
            loop.close();
        }
    }

    @Test
    void aRecordWhoseEndIsHandedBackComesAgain() throws Exception {
        String topic = topic();
        String group = "group-" + topic;
        send(topic, 1);
        AtomicInteger deliveries = new AtomicInteger();
        ConsumerLoop.RecordHandler handler = finishing(record -> deliveries.incrementAndGet() == 1
                ? CompletableFuture.failedFuture(new JobHandedBackException("storage went away"))
                : null);
        try (JsonProducer producer = new JsonProducer(SETTINGS)) {
            ConsumerLoop loop = loop(topic, group, handler, producer, 1);
            loop.start();
            waitUntil(() -> Long.valueOf(1).equals(committed(group, topic)), "committed after the second delivery");
            loop.close();
        }
        assertEquals(2, deliveries.get(), "the record whose end failed was delivered again, once");
    }

    /** A handler that leaves the record's end to the future {@code work} returns (null: none left). */
    private static ConsumerLoop.RecordHandler finishing(
            Function<ConsumerRecord<String, String>, CompletableFuture<?>> work) {
        return new ConsumerLoop.RecordHandler() {
            @Override
            public void handle(ConsumerRecord<String, String> record, BooleanSupplier handBack) {
                throw new AssertionError("the loop calls handleThenFinish");
            }

            @Override
            public CompletableFuture<?> handleThenFinish(
                    ConsumerRecord<String, String> record, BooleanSupplier handBack) {
                return work.apply(record);
            }
        };
    }

    private static ConsumerLoop loop(
            String topic, String group, ConsumerLoop.RecordHandler handler, JsonProducer producer, int slots) {
        return new ConsumerLoop(
                topic,
                SETTINGS.consumer(group, 1, 300_000),
                List.of(topic),
                new RecordWork(handler, new DeadLetters(producer, "slots-test"), 5, 3),
                ConsumerLoop.Settings.concurrent(Duration.ZERO, slots));
    }

    private static String topic() throws Exception {
        String topic = "slots-test-" + UUID.randomUUID();
        new TopicAdmin(6, 6, (short) 1).ensureTopics(SETTINGS.bootstrapServers()); // dead-letters among them
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", SETTINGS.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        return topic;
    }

    private static void send(String topic, int n) {
        try (JsonProducer producer = new JsonProducer(SETTINGS)) {
            for (int i = 0; i < n; i++) {
                producer.sendRaw(topic, "k", "record-" + i);
            }
        }
    }

    private static Long committed(String group, String topic) {
        TopicPartition tp = new TopicPartition(topic, 0);
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(SETTINGS.consumer(group, 1, 300_000))) {
            OffsetAndMetadata o =
                    c.committed(Set.of(tp), Duration.ofSeconds(10)).get(tp);
            return o == null ? null : o.offset();
        }
    }

    private static Long committedOrZero(String group, String topic) {
        Long c = committed(group, topic);
        return c == null ? 0L : c;
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("latch not released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out: " + what);
            }
            Thread.sleep(50);
        }
    }
}
