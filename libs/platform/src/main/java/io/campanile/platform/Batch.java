package io.campanile.platform;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * Records a {@link ConsumerLoop} polled together and handed to its work thread, and what the work tells the loop:
 * which records are done (their offsets get committed), and whether the loop wants the rest back.
 */
public final class Batch {
    private static final Logger LOG = Logger.getLogger(Batch.class);
    private final List<ConsumerRecord<String, String>> records;
    private final Offsets offsets;
    private final Set<ConsumerRecord<String, String>> done = ConcurrentHashMap.newKeySet();
    private volatile String handBack;
    /** Work on done records that goes on off the slot ({@link #finishLater}). */
    private final List<CompletableFuture<?>> tails = new CopyOnWriteArrayList<>();
    /** True until the handler returned and the slot is free for another batch. */
    private volatile boolean computing = true;

    Batch(List<ConsumerRecord<String, String>> records, Offsets offsets) {
        this.records = List.copyOf(records);
        this.offsets = offsets;
    }

    public List<ConsumerRecord<String, String>> records() {
        return records;
    }

    /** The record's work is durable: its offset may be committed (once no earlier record is still in flight). */
    public void done(ConsumerRecord<String, String> record) {
        done.add(record);
        offsets.done(record);
    }

    /**
     * The record's work goes on off the work slot (its outputs stored, its end reported): it is done when
     * {@code tail} completes normally, and handed back (redelivered) when it completes exceptionally.
     */
    public void finishLater(ConsumerRecord<String, String> record, CompletableFuture<?> tail) {
        tails.add(tail.whenComplete((v, e) -> {
            if (e == null) {
                done(record);
            }
        }));
    }

    /** Whether the handler still holds its slot. */
    boolean computing() {
        return computing;
    }

    /** The handler returned: its slot is free, though tails may still run. */
    void computed() {
        computing = false;
    }

    /** Completes (normally) once every tail has ended, however it ended. */
    CompletableFuture<Void> tailsEnded() {
        return CompletableFuture.allOf(tails.toArray(CompletableFuture[]::new)).handle((v, e) -> null);
    }

    /**
     * True once the loop wants the records not yet done back (the service stops, or their partition moved): the work
     * stops at its next step without reporting anything final, and the records are redelivered.
     */
    public boolean handBack() {
        return handBack != null;
    }

    void requestHandBack(String why) {
        if (handBack == null) {
            handBack = why;
            LOG.infof("handing back %d record(s) at their next step: %s", records.size() - done.size(), why);
        }
    }

    boolean touches(Collection<TopicPartition> partitions) {
        return records.stream()
                .anyMatch(r -> !done.contains(r) && partitions.contains(new TopicPartition(r.topic(), r.partition())));
    }

    /** The records whose work ended without being done: handed back, to be delivered again. */
    List<ConsumerRecord<String, String>> notDone() {
        return records.stream().filter(r -> !done.contains(r)).toList();
    }

    /** Per partition, the offset to read next: the first record not done, or the one after the last. */
    Map<TopicPartition, Long> nextOffsets() {
        Map<TopicPartition, Long> next = new HashMap<>();
        for (ConsumerRecord<String, String> r : records) {
            TopicPartition tp = new TopicPartition(r.topic(), r.partition());
            if (done.contains(r)) {
                next.merge(tp, r.offset() + 1, (a, b) -> a < 0 ? a : Math.max(a, b));
            } else {
                next.merge(tp, -1 - r.offset(), (a, b) -> a < 0 ? a : b); // first not done: stays
            }
        }
        next.replaceAll((tp, v) -> v < 0 ? -1 - v : v);
        return next;
    }
}
