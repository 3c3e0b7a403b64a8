package io.campanile.platform;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

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
    /** Processes one record; throws {@link RetriableException} to be called again. */
    public interface RecordHandler {
        /**
         * @param handBack true once the loop wants the record back (the service stops, or the partition moved to
         *        another replica): stop at the next step by throwing; the record is then redelivered
         */
        void handle(ConsumerRecord<String, String> record, BooleanSupplier handBack);

        /**
         * Handles the record, leaving what need not hold a work slot (a job's outputs still being stored, its end to
         * report) to the returned future: the slot takes the next record at once, and this record is done, its offset
         * committable, only when the future completes normally. Null when nothing is left. By default, {@link
         * #handle}.
         */
        default CompletableFuture<?> handleThenFinish(ConsumerRecord<String, String> record, BooleanSupplier handBack) {
            handle(record, handBack);
            return null;
        }

        /** Called after a record was sent to dead-letters, so the handler can fail its job. */
        default void onDeadLetter(ConsumerRecord<String, String> record, String reason) {}
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
     * @param batchLinger how long to keep polling for more records once one arrived, up to {@code batchRecords}, while
     *     records are coming: a record after a quiet spell (none within 5 lingers) is handed on at once
     * @param slots how many batches run at once, each on its own work thread: records of one partition may then end
     *     in any order (a partition's commit never passes a record still running)
     */
    public record Settings(
            Duration stopGrace, Duration livenessBound, int batchRecords, Duration batchLinger, int slots) {
        public Settings {
            if (batchRecords < 1 || slots < 1) {
                throw new IllegalArgumentException(
                        "batch records and slots must be at least 1, got " + batchRecords + " and " + slots);
            }
        }

        /** One batch at a time. */
        public Settings(Duration stopGrace, Duration livenessBound, int batchRecords, Duration batchLinger) {
            this(stopGrace, livenessBound, batchRecords, batchLinger, 1);
        }

        /** One record at a time (workers): never hoard records another replica could run. */
        public static Settings oneAtATime(Duration stopGrace) {
            return concurrent(stopGrace, 1);
        }

        /**
         * Up to {@code jobs} records at once, one per slot (workers that batch the steps of concurrent jobs): a record
         * is taken only when a slot is free, so none waits here that another replica could run.
         */
        public static Settings concurrent(Duration stopGrace, int jobs) {
            return new Settings(stopGrace, Duration.ofSeconds(60), 1, Duration.ZERO, jobs);
        }
    }

    /** What the health checks report of a loop. */
    public record Health(String name, boolean live, boolean ready, int partitions, int restarts) {}

    private final String name;
    private final Settings settings;
    private final WorkThread work;
    private final Poller poller;
    private final ConsumerSupervisor supervisor;
    private final Thread pollingThread;

    /** A loop that handles one record at a time with {@link RecordWork}'s retries and dead letters. */
    public ConsumerLoop(
            String name,
            Properties consumerProps,
            List<String> topics,
            RecordHandler handler,
            DeadLetters deadLetters,
            int maxAttempts) {
        this(
                name,
                consumerProps,
                topics,
                new RecordWork(handler, deadLetters, maxAttempts, 3),
                new Settings(
                        Duration.ofSeconds(10),
                        Duration.ofSeconds(60),
                        Integer.parseInt(String.valueOf(consumerProps.getOrDefault("max.poll.records", 1))),
                        Duration.ZERO));
    }

    public ConsumerLoop(
            String name, Properties consumerProps, List<String> topics, BatchHandler handler, Settings settings) {
        this(name, consumerProps, topics, handler, settings, KafkaConsumer::new);
    }

    /** @param consumers makes each consumer the loop runs (tests hand in consumers that fail) */
    ConsumerLoop(
            String name,
            Properties consumerProps,
            List<String> topics,
            BatchHandler handler,
            Settings settings,
            Function<Properties, KafkaConsumer<String, String>> consumers) {
        this.name = name;
        this.settings = settings;
        this.work = new WorkThread(name, settings.slots());
        this.poller = new Poller(handler, settings, work);
        this.supervisor = new ConsumerSupervisor(name, consumerProps, topics, consumers, poller);
        this.pollingThread = new Thread(supervisor, name + "-poll");
    }

    public void start() {
        ConsumerLoops.register(this);
        pollingThread.start();
    }

    public String name() {
        return name;
    }

    /** Live while the polling thread runs and has polled within the bound; ready while it is a group member. */
    public Health health() {
        boolean closing = poller.closing();
        boolean polled = System.nanoTime() - poller.lastPollNanos()
                < settings.livenessBound().toNanos();
        return new Health(
                name,
                pollingThread.isAlive() && (polled || closing),
                poller.member() && !closing,
                poller.partitions(),
                supervisor.restarts());
    }

    /** Keeps {@link #caughtUpAt} current (one question to the broker a second while idle); call before start. */
    public void trackCaughtUp() {
        poller.trackCaughtUp();
    }

    /**
     * A time before which every record of this loop's partitions has been handled, or null while it never caught
     * up ({@link #trackCaughtUp}): what happened before it has been applied. The gateway's lease reaper judges leases
     * by it, so a backlog of heartbeats after an outage never reads as lapsed leases.
     */
    public Instant caughtUpAt() {
        return poller.caughtUpAt();
    }

    /**
     * Stops taking records, lets the work in hand finish within the stop grace, then asks it to hand its records
     * back; commits what was done and leaves.
     */
    @Override
    public void close() {
        poller.close(System.nanoTime() + settings.stopGrace().toNanos());
        try {
            pollingThread.join(settings.stopGrace().toMillis() + 60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        work.shutdownNow();
        ConsumerLoops.unregister(this);
    }
}
