package io.campanile.platform;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * A consumer thread that hands each record to a {@link RecordHandler} and commits its offset only after the handler
 * returned, i.e. after the work is durable (at-least-once; handlers are idempotent). Retriable failures are retried
 * with back-off; a {@link PoisonMessageException}, any other exception, or retries exhausted send the record to
 * dead-letters with the reason. A record still failing retriably when the loop is closed is neither dead-lettered
 * nor committed: it is redelivered to whoever owns its partition next.
 */
public final class ConsumerLoop implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ConsumerLoop.class);

    /** Processes one record; throws {@link RetriableException} to be called again. */
    public interface RecordHandler {
        void handle(ConsumerRecord<String, String> record);

        /** Called after a record was sent to dead-letters, so the handler can fail its job. */
        default void onDeadLetter(ConsumerRecord<String, String> record, String reason) {
        }
    }

    /** A failure that may go away (a service restarting); the record is handled again after a pause. */
    public static class RetriableException extends RuntimeException {
        public RetriableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final KafkaConsumer<String, String> consumer;
    private final List<String> topics;
    private final RecordHandler handler;
    private final DeadLetters deadLetters;
    private final Thread thread;
    private final int maxAttempts;
    private volatile boolean running = true;

    /**
     * @param name thread name
     * @param consumerProps from {@link KafkaSettings#consumer}
     * @param maxAttempts attempts for retriable failures before a record is dead-lettered
     */
    public ConsumerLoop(String name, Properties consumerProps, List<String> topics, RecordHandler handler,
            DeadLetters deadLetters, int maxAttempts) {
        this.consumer = new KafkaConsumer<>(consumerProps);
        this.topics = topics;
        this.handler = handler;
        this.deadLetters = deadLetters;
        this.maxAttempts = maxAttempts;
        // Jobs run on this thread, ONNX Runtime's CPU kernels among them: they have crashed the JVM (SIGSEGV) on
        // threads with a 1-2 MiB native stack, so the loop gets 16 MiB.
        this.thread = new Thread(null, this::run, name, 16L << 20);
    }

    public void start() {
        thread.start();
    }

    private void run() {
        try {
            consumer.subscribe(topics);
            while (running) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(500));
                for (ConsumerRecord<String, String> r : records) {
                    if (!running) {
                        return; // uncommitted: redelivered to whoever owns the partition next
                    }
                    if (!process(r)) {
                        return; // closed while retrying: uncommitted, redelivered
                    }
                    consumer.commitSync(Map.of(new TopicPartition(r.topic(), r.partition()),
                            new OffsetAndMetadata(r.offset() + 1)));
                }
            }
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "consumer %s stopped", thread.getName());
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** Handles a record; false when the loop was closed while the record still failed retriably. */
    private boolean process(ConsumerRecord<String, String> r) {
        for (int attempt = 1; ; attempt++) {
            try {
                handler.handle(r);
                return true;
            } catch (RetriableException e) {
                if (!running) {
                    LOG.infof("closing while %s-%d@%d still fails (%s): left for redelivery", r.topic(),
                            r.partition(), r.offset(), e.getMessage());
                    return false;
                }
                if (attempt >= maxAttempts) {
                    deadLetter(r, "gave up after " + attempt + " attempts: " + e.getMessage());
                    return true;
                }
                LOG.warnf("retrying %s-%d@%d (attempt %d): %s", r.topic(), r.partition(), r.offset(), attempt,
                        e.getMessage());
                sleep(Math.min(8000L, 500L << Math.min(attempt, 4)));
            } catch (PoisonMessageException e) {
                deadLetter(r, e.getMessage());
                return true;
            } catch (RuntimeException e) {
                LOG.errorf(e, "unexpected failure on %s-%d@%d", r.topic(), r.partition(), r.offset());
                deadLetter(r, "unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage());
                return true;
            }
        }
    }

    private void deadLetter(ConsumerRecord<String, String> r, String reason) {
        deadLetters.publish(r, reason);
        try {
            handler.onDeadLetter(r, reason);
        } catch (RuntimeException e) {
            LOG.errorf(e, "could not report dead letter of %s-%d@%d", r.topic(), r.partition(), r.offset());
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops polling, lets the record in hand finish, and leaves the group. */
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
