package io.campanile.platform;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RetriableException;
import org.jboss.logging.Logger;

/**
 * Offsets of records whose work is done, waiting to be committed by the polling thread. Records of one partition may
 * run at once on several work slots and end in any order, so a partition's commit never passes a record still in
 * flight ({@link #dispatched}), and a record handed back ({@link #released}) pulls the partition's offset back to it.
 * A commit that fails for a passing reason (a rebalance under way, a broker away) is tried again on the next round.
 * Offsets of partitions this member does not own are kept until it owns them again ({@link #reconcile}): if another
 * member took the partition meanwhile, it ran those records again (handlers are idempotent) and committed past them.
 */
final class Offsets {
    private static final Logger LOG = Logger.getLogger(Offsets.class);
    /** Per partition, the offset after the highest record done (or the lowest handed back), not yet committed. */
    private final Map<TopicPartition, Long> pending = new HashMap<>();
    /** Per partition, the offsets of records handed to the work and not yet done or released. */
    private final Map<TopicPartition, TreeSet<Long>> inFlight = new HashMap<>();
    /** Offsets committed while held back by a record in flight, so the same one is not committed every round. */
    private final Map<TopicPartition, Long> committed = new HashMap<>();

    /** From the polling thread, before the records go to the work. */
    synchronized void dispatched(Collection<ConsumerRecord<String, String>> records) {
        for (ConsumerRecord<String, String> r : records) {
            inFlight.computeIfAbsent(partition(r), tp -> new TreeSet<>()).add(r.offset());
        }
    }

    /** From the work thread: the record's work is durable. */
    synchronized void done(ConsumerRecord<String, String> r) {
        TopicPartition tp = partition(r);
        leave(tp, r.offset());
        pending.merge(tp, r.offset() + 1, Math::max);
    }

    /**
     * From the polling thread: the work ended without doing the record (it was handed back). The partition's offset
     * goes back to it, so no commit passes it while the record has still to run.
     */
    synchronized void released(ConsumerRecord<String, String> r) {
        TopicPartition tp = partition(r);
        leave(tp, r.offset());
        pending.computeIfPresent(tp, (k, v) -> Math.min(v, r.offset()));
    }

    private void leave(TopicPartition tp, long offset) {
        TreeSet<Long> running = inFlight.get(tp);
        if (running != null) {
            running.remove(offset);
            if (running.isEmpty()) {
                inFlight.remove(tp);
            }
        }
    }

    private static TopicPartition partition(ConsumerRecord<String, String> r) {
        return new TopicPartition(r.topic(), r.partition());
    }

    /**
     * What may be committed of the owned partitions: the pending offset, held below the lowest record still in
     * flight. An offset held back stays pending, so a later round commits the rest.
     */
    private synchronized Map<TopicPartition, OffsetAndMetadata> take(Set<TopicPartition> owned) {
        Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
        pending.entrySet().removeIf(e -> {
            if (!owned.contains(e.getKey())) {
                return false; // kept until the partition is owned again, or forgotten when it is revoked
            }
            TreeSet<Long> running = inFlight.get(e.getKey());
            long offset = e.getValue();
            if (running != null && running.first() < offset) {
                offset = running.first();
                Long last = committed.get(e.getKey());
                if (last == null || last < offset) {
                    out.put(e.getKey(), new OffsetAndMetadata(offset));
                    committed.put(e.getKey(), offset);
                }
                return false;
            }
            out.put(e.getKey(), new OffsetAndMetadata(offset));
            committed.remove(e.getKey());
            return true;
        });
        return out;
    }

    /**
     * Newly assigned partitions (after a rebalance, or a consumer recreated) keep a pending offset only while it is
     * ahead of the group's committed one, and the consumer is moved to it at once: the records before it are done
     * (a member whose session expired during a broker outage gets its partitions back as "lost", and would otherwise
     * run them again). An older pending offset is dropped: committing it would rewind the partition.
     */
    void reconcile(KafkaConsumer<String, String> consumer, Collection<TopicPartition> assigned) {
        Set<TopicPartition> mine;
        synchronized (this) {
            assigned.forEach(committed::remove);
            mine = new HashSet<>(assigned);
            mine.retainAll(pending.keySet());
        }
        if (mine.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(mine, Duration.ofSeconds(10));
        synchronized (this) {
            for (TopicPartition tp : mine) {
                OffsetAndMetadata o = committed.get(tp);
                Long p = pending.get(tp);
                if (p == null) {
                    continue;
                }
                if (o != null && o.offset() >= p) {
                    pending.remove(tp);
                } else {
                    consumer.seek(tp, p);
                }
            }
        }
    }

    private synchronized void putBack(Map<TopicPartition, OffsetAndMetadata> offsets) {
        offsets.forEach((tp, o) -> {
            pending.merge(tp, o.offset(), Math::max);
            committed.remove(tp);
        });
    }

    /** Commits what is pending; on the polling thread. */
    void commit(KafkaConsumer<String, String> consumer) {
        Map<TopicPartition, OffsetAndMetadata> offsets = take(consumer.assignment());
        if (offsets.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(offsets, Duration.ofSeconds(10));
        } catch (RebalanceInProgressException | RetriableException e) {
            LOG.warnf("commit of %s deferred: %s", offsets, e.getMessage());
            putBack(offsets);
        } catch (CommitFailedException e) {
            // The group moved on (a generation fenced after a broker outage, say). Kept: if the partitions come back
            // to this member, reconcile() moves past the records already done instead of running them again.
            LOG.warnf("commit of %s failed, kept until the partitions are assigned again: %s", offsets, e.getMessage());
            putBack(offsets);
        } catch (RuntimeException e) {
            putBack(offsets); // the loop recreates the consumer, which commits them if it still owns the partitions
            throw e;
        }
    }
}
