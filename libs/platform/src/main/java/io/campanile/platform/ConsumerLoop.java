package io.campanile.platform;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * The one supervised Kafka consumer of every service (ADR 0010). A polling thread owns the {@link KafkaConsumer} and
 * never runs work: records go to a work thread, their partitions are paused, and the polling thread keeps polling,
 * so the group protocol never caps how long a job runs and the member keeps its partitions. Offsets are committed by
 * the polling thread after the work marked a record done (at-least-once; handlers are idempotent). Anything that
 * escapes the polling thread, a commit failure or an {@link Error} among them, closes the consumer; a new one is
 * created with back-off and rejoins the group, while work in flight goes on. {@link #health} says whether the loop
 * polls (liveness) and holds its group membership (readiness). {@link #close} lets the work in hand finish within the
 * stop grace, then asks it to hand its records back ({@link Batch#handBack}): they are left uncommitted for whoever
 * owns their partition next.
 */
public final class ConsumerLoop implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ConsumerLoop.class);
    private static final Duration POLL = Duration.ofMillis(200);

    /** Processes one record; throws {@link RetriableException} to be called again. */
    public interface RecordHandler {
        /**
         * @param handBack true once the loop wants the record back (the service stops, or the partition moved to
         *        another replica): stop at the next step by throwing; the record is then redelivered
         */
        void handle(ConsumerRecord<String, String> record, BooleanSupplier handBack);

        /** Called after a record was sent to dead-letters, so the handler can fail its job. */
        default void onDeadLetter(ConsumerRecord<String, String> record, String reason) {
        }
    }

    /** Work on records polled together; runs on the loop's work thread, never on the polling thread. */
    public interface BatchHandler {
        /** Handles the batch's records, calling {@link Batch#done} for each one whose work is durable. */
        void handle(Batch batch);
    }

    /** A failure that may go away (a service restarting); the record is handled again after a pause. */
    public static class RetriableException extends RuntimeException {
        public RetriableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * How the loop runs.
     *
     * @param stopGrace how long {@link #close} lets the work in hand finish before asking it to hand its records back
     * @param livenessBound the longest the polling thread may go without a poll before the loop counts as dead
     * @param batchRecords the most records handed to the work thread at once
     * @param batchLinger how long to keep polling for more records once one arrived, up to {@code batchRecords}
     */
    public record Settings(Duration stopGrace, Duration livenessBound, int batchRecords, Duration batchLinger) {
        /** One record at a time (workers): never hoard records another replica could run. */
        public static Settings oneAtATime(Duration stopGrace) {
            return new Settings(stopGrace, Duration.ofSeconds(60), 1, Duration.ZERO);
        }
    }

    /** What the health checks report of a loop. */
    public record Health(String name, boolean live, boolean ready, int partitions, int restarts) {
    }

    private final String name;
    private final Properties props;
    private final java.util.function.Function<Properties, KafkaConsumer<String, String>> consumers;
    private final List<String> topics;
    private final BatchHandler handler;
    private final Settings settings;
    private final Thread poller;
    private final ExecutorService worker;
    private final Offsets offsets = new Offsets();
    private final AtomicInteger restarts = new AtomicInteger();
    private volatile boolean closing;
    private volatile long closeDeadline;
    private volatile long lastPollNanos = System.nanoTime();
    private volatile boolean member;
    private volatile int partitions;
    private volatile java.time.Instant caughtUpAt;
    private volatile boolean trackCaughtUp;
    private long lastCaughtUpCheck;
    /** The batch on the work thread and its future; touched by the polling thread only. */
    private Batch batch;
    private Future<?> inFlight;

    /** A loop that handles one record at a time with {@link RecordWork}'s retries and dead letters. */
    public ConsumerLoop(String name, Properties consumerProps, List<String> topics, RecordHandler handler,
            DeadLetters deadLetters, int maxAttempts) {
        this(name, consumerProps, topics, new RecordWork(handler, deadLetters, maxAttempts, 3),
                new Settings(Duration.ofSeconds(10), Duration.ofSeconds(60),
                        Integer.parseInt(String.valueOf(consumerProps.getOrDefault("max.poll.records", 1))),
                        Duration.ZERO));
    }

    public ConsumerLoop(String name, Properties consumerProps, List<String> topics, BatchHandler handler,
            Settings settings) {
        this(name, consumerProps, topics, handler, settings, KafkaConsumer::new);
    }

    /** @param consumers makes each consumer the loop runs (tests hand in consumers that fail) */
    ConsumerLoop(String name, Properties consumerProps, List<String> topics, BatchHandler handler, Settings settings,
            java.util.function.Function<Properties, KafkaConsumer<String, String>> consumers) {
        this.consumers = consumers;
        this.name = name;
        this.props = consumerProps;
        this.topics = List.copyOf(topics);
        this.handler = handler;
        this.settings = settings;
        this.poller = new Thread(this::supervise, name + "-poll");
        // Jobs run on the work thread, ONNX Runtime's CPU kernels among them: they have crashed the JVM (SIGSEGV) on
        // threads with a 1-2 MiB native stack, so it gets 16 MiB.
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(null, r, name, 16L << 20);
            t.setDaemon(true);
            return t;
        });
    }

    public void start() {
        ConsumerLoops.register(this);
        poller.start();
    }

    public String name() {
        return name;
    }

    /** Live while the polling thread runs and has polled within the bound; ready while it is a group member. */
    public Health health() {
        boolean polled = System.nanoTime() - lastPollNanos < settings.livenessBound().toNanos();
        return new Health(name, poller.isAlive() && (polled || closing), member && !closing, partitions,
                restarts.get());
    }

    /** Creates the consumer, polls until closed, and recreates it with back-off after anything escapes. */
    private void supervise() {
        int failures = 0;
        while (true) {
            KafkaConsumer<String, String> consumer = null;
            try {
                consumer = consumers.apply(props);
                consumer.subscribe(topics, new Rebalance(consumer));
                if (pollUntilClosed(consumer)) {
                    return;
                }
                failures = 0;
            } catch (Throwable t) {
                failures++;
                restarts.incrementAndGet();
                LOG.errorf(t, "consumer %s failed (%d in a row); recreating it", name, failures);
            } finally {
                member = false;
                partitions = 0;
                closeQuietly(consumer);
            }
            if (closing && inFlight == null) {
                return;
            }
            sleep(Math.min(30_000L, 500L << Math.min(failures, 6)));
        }
    }

    /** Polls and dispatches; true once closed with nothing left in flight. */
    private boolean pollUntilClosed(KafkaConsumer<String, String> consumer) {
        while (true) {
            offsets.commit(consumer);
            if (inFlight != null && inFlight.isDone()) {
                finish(consumer);
            }
            if (closing) {
                if (inFlight == null) {
                    offsets.commit(consumer);
                    return true;
                }
                if (System.nanoTime() > closeDeadline) {
                    batch.requestHandBack("the service is stopping");
                }
            }
            ConsumerRecords<String, String> polled = consumer.poll(POLL);
            lastPollNanos = System.nanoTime();
            member = consumer.groupMetadata().generationId() > 0;
            partitions = consumer.assignment().size();
            if (polled.isEmpty()) {
                if (trackCaughtUp && inFlight == null && member
                        && System.nanoTime() - lastCaughtUpCheck > 1_000_000_000L) {
                    lastCaughtUpCheck = System.nanoTime();
                    checkCaughtUp(consumer);
                }
                continue;
            }
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            polled.forEach(records::add);
            if (inFlight != null || closing) {
                rewind(consumer, records); // a partition assigned before it was paused: its records come again
                continue;
            }
            dispatch(consumer, linger(consumer, records));
        }
    }

    /**
     * Asks the broker for the end of every assigned partition: when the loop has handled everything up to them, every
     * record written before the question was handled. A broker that does not answer leaves the time where it was.
     */
    private void checkCaughtUp(KafkaConsumer<String, String> consumer) {
        java.time.Instant before = java.time.Instant.now();
        Set<TopicPartition> assigned = consumer.assignment();
        try {
            Map<TopicPartition, Long> ends = consumer.endOffsets(assigned, Duration.ofSeconds(2));
            for (TopicPartition tp : assigned) {
                if (consumer.position(tp, Duration.ofSeconds(2)) < ends.getOrDefault(tp, Long.MAX_VALUE)) {
                    return;
                }
            }
            caughtUpAt = before;
        } catch (org.apache.kafka.common.KafkaException e) {
            LOG.debugf("end offsets unknown: %s", e.getMessage());
        }
    }

    /** Keeps {@link #caughtUpAt} current (one question to the broker a second while idle); call before start. */
    public void trackCaughtUp() {
        trackCaughtUp = true;
    }

    /**
     * A time before which every record of this loop's partitions has been handled, or null while it never caught
     * up ({@link #trackCaughtUp}): what happened before it has been applied. The gateway's lease reaper judges leases by it, so a backlog of
     * heartbeats after an outage never reads as lapsed leases.
     */
    public java.time.Instant caughtUpAt() {
        return caughtUpAt;
    }

    /** Keeps polling up to the batch linger for more records; records beyond the batch size are rewound. */
    private List<ConsumerRecord<String, String>> linger(KafkaConsumer<String, String> consumer,
            List<ConsumerRecord<String, String>> records) {
        long deadline = System.nanoTime() + settings.batchLinger().toNanos();
        while (records.size() < settings.batchRecords() && !closing) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            consumer.poll(Duration.ofNanos(Math.min(left, POLL.toNanos()))).forEach(records::add);
            lastPollNanos = System.nanoTime();
        }
        if (records.size() > settings.batchRecords()) {
            rewind(consumer, records.subList(settings.batchRecords(), records.size()));
            return new ArrayList<>(records.subList(0, settings.batchRecords()));
        }
        return records;
    }

    private void dispatch(KafkaConsumer<String, String> consumer, List<ConsumerRecord<String, String>> records) {
        consumer.pause(consumer.assignment());
        Batch b = new Batch(records, offsets);
        batch = b;
        inFlight = worker.submit(() -> {
            try {
                handler.handle(b);
            } catch (Throwable t) {
                LOG.errorf(t, "work of %s failed outside its handler; its records are redelivered", name);
            }
        });
    }

    /** The work ended: resume, and move each partition of the batch to its first record not done. */
    private void finish(KafkaConsumer<String, String> consumer) {
        Set<TopicPartition> assigned = consumer.assignment();
        batch.nextOffsets().forEach((tp, next) -> {
            if (assigned.contains(tp)) {
                consumer.seek(tp, next);
            }
        });
        consumer.resume(consumer.paused());
        batch = null;
        inFlight = null;
    }

    private static void rewind(KafkaConsumer<String, String> consumer, List<ConsumerRecord<String, String>> records) {
        Map<TopicPartition, Long> first = new HashMap<>();
        for (ConsumerRecord<String, String> r : records) {
            first.merge(new TopicPartition(r.topic(), r.partition()), r.offset(), Math::min);
        }
        Set<TopicPartition> assigned = consumer.assignment();
        first.forEach((tp, offset) -> {
            if (assigned.contains(tp)) {
                consumer.seek(tp, offset);
            }
        });
    }

    /** Partitions that move while work is in flight: new ones are paused, lost ones take their records back. */
    private final class Rebalance implements ConsumerRebalanceListener {
        private final KafkaConsumer<String, String> consumer;

        Rebalance(KafkaConsumer<String, String> consumer) {
            this.consumer = consumer;
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
            offsets.commit(consumer);
            handBackIfIn(revoked, "its partition moved to another replica");
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> lost) {
            handBackIfIn(lost, "its partition was lost");
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
            offsets.reconcile(consumer, assigned);
            if (inFlight != null) {
                consumer.pause(assigned);
            }
        }

        private void handBackIfIn(Collection<TopicPartition> gone, String why) {
            if (batch != null && inFlight != null && !inFlight.isDone() && batch.touches(gone)) {
                batch.requestHandBack(why);
            }
        }
    }

    private static void closeQuietly(KafkaConsumer<String, String> consumer) {
        if (consumer == null) {
            return;
        }
        try {
            consumer.close(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            LOG.debugf(e, "closing a consumer");
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops taking records, lets the work in hand finish within the stop grace, then asks it to hand its records
     * back; commits what was done and leaves.
     */
    @Override
    public void close() {
        closeDeadline = System.nanoTime() + settings.stopGrace().toNanos();
        closing = true;
        try {
            poller.join(settings.stopGrace().toMillis() + 60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        worker.shutdownNow();
        ConsumerLoops.unregister(this);
    }
}
