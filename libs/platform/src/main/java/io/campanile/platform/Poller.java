package io.campanile.platform;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * The polling thread's side of a {@link ConsumerLoop}, for one consumer after another: polls every 200 ms, hands
 * polled records to a free slot of the {@link WorkThread} (the partitions are paused while every slot is busy),
 * commits the offsets the work marked done, and asks the work to hand its records back when their partition moves or
 * the loop stops; a partition whose records were handed back resumes at its first record not done. The work in flight and the pending offsets outlive a consumer, so a recreated one carries on.
 * What it publishes (last poll, membership, partitions, caught-up time) is what the loop's health reports.
 */
final class Poller {
    private static final Logger LOG = Logger.getLogger(ConsumerLoop.class);
    private static final Duration POLL = Duration.ofMillis(200);
    /**
     * The poll while no slot is free (every partition paused): short, so that a slot freed mid-poll takes the next
     * record within it rather than within {@link #POLL}, and jobs waiting back to back follow each other at once.
     */
    private static final Duration BUSY_POLL = Duration.ofMillis(5);
    /** Records that come within this many batch lingers of the previous ones are a burst: worth lingering for. */
    static final int BUSY_LINGERS = 5;

    private final ConsumerLoop.BatchHandler handler;
    private final ConsumerLoop.Settings settings;
    private final WorkThread work;
    private final Offsets offsets = new Offsets();
    private volatile boolean closing;
    private volatile long closeDeadline;
    private volatile long lastPollNanos = System.nanoTime();
    private volatile boolean member;
    private volatile int partitions;
    private volatile Instant caughtUpAt;
    private volatile boolean trackCaughtUp;
    private long lastCaughtUpCheck;
    /** When records last came (nanoTime); polling thread only. */
    private long lastArrivalNanos = System.nanoTime() - Long.MAX_VALUE / 2;
    /** The batches on the work slots and their futures; touched by the polling thread only. */
    private final Map<Batch, CompletableFuture<Void>> inFlight = new LinkedHashMap<>();
    /** Partitions held back from polling until the work on them ended; polling thread only. */
    private final PartitionHolds holds = new PartitionHolds();

    Poller(ConsumerLoop.BatchHandler handler, ConsumerLoop.Settings settings, WorkThread work) {
        this.handler = handler;
        this.settings = settings;
        this.work = work;
    }

    /** The listener to subscribe {@code consumer} with. */
    ConsumerRebalanceListener rebalanceListener(KafkaConsumer<String, String> consumer) {
        return new Rebalance(consumer);
    }

    /** Polls and dispatches; true once closed with nothing left in flight. Anything thrown ends this consumer. */
    boolean pollUntilClosed(KafkaConsumer<String, String> consumer) {
        while (true) {
            offsets.commit(consumer);
            finishEnded(consumer);
            holds.release(consumer, this::running);
            if (closing) {
                if (inFlight.isEmpty()) {
                    offsets.commit(consumer);
                    return true;
                }
                if (System.nanoTime() > closeDeadline) {
                    inFlight.keySet().forEach(b -> b.requestHandBack("the service is stopping"));
                }
            }
            pauseOrResume(consumer);
            ConsumerRecords<String, String> polled = consumer.poll(hasRoom() ? POLL : BUSY_POLL);
            lastPollNanos = System.nanoTime();
            member = consumer.groupMetadata().generationId() > 0;
            partitions = consumer.assignment().size();
            if (polled.isEmpty()) {
                if (trackCaughtUp
                        && inFlight.isEmpty()
                        && member
                        && System.nanoTime() - lastCaughtUpCheck > 1_000_000_000L) {
                    lastCaughtUpCheck = System.nanoTime();
                    caughtUpAt = CaughtUp.check(consumer, caughtUpAt);
                }
                continue;
            }
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            polled.forEach(records::add);
            if (!hasRoom() || closing) {
                PartitionHolds.rewind(
                        consumer, records); // a partition assigned before it was paused: its records come again
                continue;
            }
            dispatch(consumer, linger(consumer, records));
        }
    }

    /** The consumer was closed: no membership, no partitions until the next one joins. */
    void consumerClosed() {
        member = false;
        partitions = 0;
    }

    /** True while no work is in flight. */
    boolean idle() {
        return inFlight.isEmpty();
    }

    /** Stops taking records; work still in hand at {@code deadline} (nanoTime) is asked to hand its records back. */
    void close(long deadline) {
        closeDeadline = deadline;
        closing = true;
    }

    boolean closing() {
        return closing;
    }

    long lastPollNanos() {
        return lastPollNanos;
    }

    boolean member() {
        return member;
    }

    int partitions() {
        return partitions;
    }

    /** Keeps {@link #caughtUpAt} current (one question to the broker a second while idle). */
    void trackCaughtUp() {
        trackCaughtUp = true;
    }

    Instant caughtUpAt() {
        return caughtUpAt;
    }

    /**
     * Keeps polling up to the batch linger for more records, but only while records are coming (the last ones came
     * within {@link #BUSY_LINGERS} lingers): a record after a quiet spell goes at once, since nothing is likely to
     * join it, and a burst's followers are gathered. Records beyond the batch size are rewound.
     */
    private List<ConsumerRecord<String, String>> linger(
            KafkaConsumer<String, String> consumer, List<ConsumerRecord<String, String>> records) {
        long now = System.nanoTime();
        long linger = settings.batchLinger().toNanos();
        boolean busy = now - lastArrivalNanos < BUSY_LINGERS * linger;
        lastArrivalNanos = now;
        long deadline = now + (busy ? linger : 0);
        while (records.size() < settings.batchRecords() && !closing) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            consumer.poll(Duration.ofNanos(Math.min(left, POLL.toNanos()))).forEach(records::add);
            lastPollNanos = System.nanoTime();
        }
        if (records.size() > settings.batchRecords()) {
            PartitionHolds.rewind(consumer, records.subList(settings.batchRecords(), records.size()));
            return new ArrayList<>(records.subList(0, settings.batchRecords()));
        }
        return records;
    }

    /**
     * Hands the records to free work slots, {@code batchRecords} at a time; what finds no free slot is rewound. With
     * one slot, the partitions are paused until the work ends; with more, they stay resumed while a slot is free.
     */
    private void dispatch(KafkaConsumer<String, String> consumer, List<ConsumerRecord<String, String>> records) {
        int next = 0;
        while (next < records.size() && hasRoom()) {
            int end = Math.min(records.size(), next + settings.batchRecords());
            Batch batch = new Batch(records.subList(next, end), offsets);
            offsets.dispatched(batch.records());
            inFlight.put(batch, work.submit(handler, batch));
            next = end;
        }
        if (next < records.size()) {
            PartitionHolds.rewind(consumer, records.subList(next, records.size()));
        }
        pauseOrResume(consumer);
    }

    /** Every partition paused while the slots are full or the loop closes, else all but those on hold. */
    private void pauseOrResume(KafkaConsumer<String, String> consumer) {
        Set<TopicPartition> assigned = consumer.assignment();
        if (!hasRoom() || closing) {
            consumer.pause(assigned);
            return;
        }
        holds.pauseHeldResumeRest(consumer, assigned);
    }

    /**
     * Work that ended leaves its slot. Records it did not do (handed back) are released, and a partition still
     * assigned is held until no work on it is left, then moved back to its first record not done.
     */
    private void finishEnded(KafkaConsumer<String, String> consumer) {
        Set<TopicPartition> assigned = consumer.assignment();
        for (var it = inFlight.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (!e.getValue().isDone()) {
                continue;
            }
            it.remove();
            Batch batch = e.getKey();
            List<ConsumerRecord<String, String>> notDone = batch.notDone();
            notDone.forEach(offsets::released);
            Set<TopicPartition> undone = new HashSet<>();
            notDone.forEach(r -> undone.add(new TopicPartition(r.topic(), r.partition())));
            batch.nextOffsets().forEach((tp, offset) -> {
                if (assigned.contains(tp)) {
                    holds.ended(tp, offset, undone.contains(tp));
                }
            });
        }
    }

    /**
     * Whether a work slot is free: fewer batches than slots hold one, and at most one batch per slot still finishes
     * off its slot (a job's outputs stored, its end reported: {@link Batch#finishLater}), which bounds the memory
     * their outputs hold.
     */
    private boolean hasRoom() {
        long computing = inFlight.keySet().stream().filter(Batch::computing).count();
        return computing < settings.slots() && inFlight.size() < 2 * settings.slots();
    }

    /** Whether work still in flight has records of the partition not done. */
    private boolean running(TopicPartition tp) {
        return inFlight.keySet().stream().anyMatch(b -> b.touches(List.of(tp)));
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
            for (TopicPartition tp : assigned) {
                if (running(tp)) {
                    holds.hold(tp); // its records run still: polled again after them
                    consumer.pause(List.of(tp));
                }
            }
            if (!hasRoom()) {
                consumer.pause(assigned);
            }
        }

        private void handBackIfIn(Collection<TopicPartition> gone, String why) {
            inFlight.forEach((batch, future) -> {
                if (!future.isDone() && batch.touches(gone)) {
                    batch.requestHandBack(why);
                }
            });
        }
    }
}
