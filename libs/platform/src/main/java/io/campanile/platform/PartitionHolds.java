package io.campanile.platform;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Partitions whose records must not be polled yet, on the polling thread of a {@link Poller}: work on them was handed
 * back, or they were assigned again while their records still ran. Each is released once no work on it is left, and
 * moved to where its records resume: its first record not done, else after the last record done.
 */
final class PartitionHolds {
    private final Map<TopicPartition, Hold> holds = new HashMap<>();

    private static final class Hold {
        private long firstNotDone = Long.MAX_VALUE;
        private long afterDone = -1;

        void ended(long nextOffset, boolean notDone) {
            if (notDone) {
                firstNotDone = Math.min(firstNotDone, nextOffset);
            } else {
                afterDone = Math.max(afterDone, nextOffset);
            }
        }

        long seekTo() {
            return firstNotDone != Long.MAX_VALUE ? firstNotDone : afterDone;
        }
    }

    boolean holds(TopicPartition tp) {
        return holds.containsKey(tp);
    }

    /** The partition's records still run: it is polled again only after them. */
    void hold(TopicPartition tp) {
        holds.computeIfAbsent(tp, k -> new Hold());
    }

    /**
     * A batch ended with the partition's next offset (its first record not done, or the one after its last), and
     * whether some of its records were not done. A partition with records not done is held; one already held notes
     * where it resumes.
     */
    void ended(TopicPartition tp, long nextOffset, boolean notDone) {
        if (notDone || holds.containsKey(tp)) {
            holds.computeIfAbsent(tp, k -> new Hold()).ended(nextOffset, notDone);
        }
    }

    /** Releases the held partitions no work is left on, moving each assigned one to where its records resume. */
    void release(KafkaConsumer<String, String> consumer, Predicate<TopicPartition> running) {
        Set<TopicPartition> assigned = consumer.assignment();
        holds.entrySet().removeIf(e -> {
            TopicPartition tp = e.getKey();
            if (running.test(tp)) {
                return false;
            }
            long to = e.getValue().seekTo();
            if (to >= 0 && assigned.contains(tp)) {
                consumer.seek(tp, to);
            }
            return true;
        });
    }

    /** Pauses the held partitions among {@code assigned} and resumes the others. */
    void pauseHeldResumeRest(KafkaConsumer<String, String> consumer, Collection<TopicPartition> assigned) {
        List<TopicPartition> held = assigned.stream().filter(holds::containsKey).toList();
        List<TopicPartition> free =
                assigned.stream().filter(tp -> !holds.containsKey(tp)).toList();
        consumer.pause(held);
        consumer.resume(free);
    }

    /** Moves each assigned partition of the records back to its first one: they are polled again. */
    static void rewind(KafkaConsumer<String, String> consumer, List<ConsumerRecord<String, String>> records) {
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
}
