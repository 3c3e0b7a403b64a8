package io.campanile.textencoder.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * A consumer thread that hands records over in groups: once a poll brings a record, it keeps polling for up to
 * {@code maxWait} until {@code maxRecords} are in hand (records polled beyond that are rewound, to come again in the
 * next group), gives the group to the handler, and commits the offsets of the
 * whole group only after the handler returned (the work is durable: at-least-once, like the platform's
 * {@code ConsumerLoop}; the handler deals with retries and dead letters itself).
 */
final class RequestBatchLoop implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(RequestBatchLoop.class);
    /**
     * Stack of the consumer thread, which loads and runs the encoder: creating the ONNX Runtime 1.29 environment on a
     * thread with the JVM's default 1 MiB stack crashed a plain JVM (SIGSEGV, seen at 1 and 2 MiB, fine at 4 MiB).
     */
    private static final long STACK_BYTES = 16L << 20;

    private final KafkaConsumer<String, String> consumer;
    private final String topic;
    private final Consumer<List<ConsumerRecord<String, String>>> handler;
    private final int maxRecords;
    private final Duration maxWait;
    private final Thread thread;
    private volatile boolean running = true;

    /** @param consumerProps with {@code max.poll.records} = maxRecords and auto commit off */
    RequestBatchLoop(Properties consumerProps, String topic, Consumer<List<ConsumerRecord<String, String>>> handler,
            int maxRecords, Duration maxWait) {
        this.consumer = new KafkaConsumer<>(consumerProps);
        this.topic = topic;
        this.handler = handler;
        this.maxRecords = maxRecords;
        this.maxWait = maxWait;
        this.thread = new Thread(null, this::run, topic, STACK_BYTES);
    }

    void start() {
        thread.start();
    }

    boolean isAlive() {
        return thread.isAlive();
    }

    private void run() {
        try {
            consumer.subscribe(List.of(topic));
            while (running) {
                List<ConsumerRecord<String, String>> group = collect();
                if (group.isEmpty() || !running) {
                    continue; // uncommitted when stopping: redelivered to the partition's next owner
                }
                handler.accept(group);
                commit(group);
            }
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "consumer %s stopped", topic);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** Records of one poll, topped up by further polls within {@code maxWait} of the first. */
    private List<ConsumerRecord<String, String>> collect() {
        List<ConsumerRecord<String, String>> group = new ArrayList<>();
        consumer.poll(Duration.ofMillis(500)).forEach(group::add);
        if (group.isEmpty()) {
            return group;
        }
        long deadline = System.nanoTime() + maxWait.toNanos();
        while (running && group.size() < maxRecords) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            consumer.poll(Duration.ofNanos(left)).forEach(group::add);
        }
        if (group.size() > maxRecords) {
            giveBack(group.subList(maxRecords, group.size()));
            return new ArrayList<>(group.subList(0, maxRecords));
        }
        return group;
    }

    /** Rewinds the partitions of records polled beyond the batch, so the next poll hands them out again. */
    private void giveBack(List<ConsumerRecord<String, String>> excess) {
        Map<TopicPartition, Long> first = new HashMap<>();
        for (ConsumerRecord<String, String> r : excess) {
            first.merge(new TopicPartition(r.topic(), r.partition()), r.offset(), Math::min);
        }
        first.forEach(consumer::seek);
    }

    private void commit(List<ConsumerRecord<String, String>> group) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (ConsumerRecord<String, String> r : group) {
            offsets.merge(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1),
                    (a, b) -> a.offset() >= b.offset() ? a : b);
        }
        try {
            consumer.commitSync(offsets);
        } catch (WakeupException e) {
            throw e;
        } catch (KafkaException e) {
            // a rebalance took partitions away meanwhile: their new owner replays them (idempotent downstream)
            LOG.warnf("could not commit %s: %s", offsets, e.getMessage());
        }
    }

    /** Stops polling, lets the group in hand finish, and leaves the consumer group. */
    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
