package io.campanile.platform;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * The polling thread's side of a {@link ConsumerLoop}, for one consumer after another: polls every 200 ms, hands
 * polled records to the {@link WorkThread} with their partitions paused, commits the offsets the work marked done,
 * moves the partitions on once the work ended, and asks the work to hand its records back when their partition moves
 * or the loop stops. The work in flight and the pending offsets outlive a consumer, so a recreated one carries on.
 * What it publishes (last poll, membership, partitions, caught-up time) is what the loop's health reports.
 */
final class Poller {
    private static final Logger LOG = Logger.getLogger(ConsumerLoop.class);
    private static final Duration POLL = Duration.ofMillis(200);

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
    /** The batch on the work thread and its future; touched by the polling thread only. */
    private Batch batch;

    private Future<?> inFlight;

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
                if (trackCaughtUp
                        && inFlight == null
                        && member
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

    /** The consumer was closed: no membership, no partitions until the next one joins. */
    void consumerClosed() {
        member = false;
        partitions = 0;
    }

    /** True while no work is in flight. */
    boolean idle() {
        return inFlight == null;
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
     * Asks the broker for the end of every assigned partition: when the loop has handled everything up to them, every
     * record written before the question was handled. A broker that does not answer leaves the time where it was.
     */
    private void checkCaughtUp(KafkaConsumer<String, String> consumer) {
        Instant before = Instant.now();
        Set<TopicPartition> assigned = consumer.assignment();
        try {
            Map<TopicPartition, Long> ends = consumer.endOffsets(assigned, Duration.ofSeconds(2));
            for (TopicPartition tp : assigned) {
                if (consumer.position(tp, Duration.ofSeconds(2)) < ends.getOrDefault(tp, Long.MAX_VALUE)) {
                    return;
                }
            }
            caughtUpAt = before;
        } catch (KafkaException e) {
            LOG.debugf("end offsets unknown: %s", e.getMessage());
        }
    }

    /** Keeps polling up to the batch linger for more records; records beyond the batch size are rewound. */
    private List<ConsumerRecord<String, String>> linger(
            KafkaConsumer<String, String> consumer, List<ConsumerRecord<String, String>> records) {
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
        batch = new Batch(records, offsets);
        inFlight = work.submit(handler, batch);
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
}
