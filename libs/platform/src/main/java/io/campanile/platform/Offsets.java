package io.campanile.platform;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RetriableException;
import org.jboss.logging.Logger;

/**
 * Offsets of records whose work is done, waiting to be committed by the polling thread. A commit that fails for a
 * passing reason (a rebalance under way, a broker away) is tried again on the next round. Offsets of partitions this
 * member does not own are kept until it owns them again ({@link #reconcile}): if another member took the partition
 * meanwhile, it ran those records again (handlers are idempotent) and committed past them.
 */
final class Offsets {
    private static final Logger LOG = Logger.getLogger(Offsets.class);
    private final Map<TopicPartition, Long> pending = new HashMap<>();

    /** From the work thread. */
    synchronized void done(ConsumerRecord<String, String> r) {
        pending.merge(new TopicPartition(r.topic(), r.partition()), r.offset() + 1, Math::max);
    }

    private synchronized Map<TopicPartition, OffsetAndMetadata> take(Set<TopicPartition> owned) {
        Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
        pending.entrySet().removeIf(e -> {
            if (owned.contains(e.getKey())) {
                out.put(e.getKey(), new OffsetAndMetadata(e.getValue()));
                return true;
            }
            return false; // kept until the partition is owned again, or forgotten when it is revoked
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
        offsets.forEach((tp, o) -> pending.merge(tp, o.offset(), Math::max));
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
