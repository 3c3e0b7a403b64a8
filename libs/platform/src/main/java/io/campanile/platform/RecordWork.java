package io.campanile.platform;

import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

/**
 * The record policy of a {@link ConsumerLoop}: records one at a time, in order. A retriable failure is tried again
 * with back-off, up to {@code maxAttempts} (unbounded with {@link Integer#MAX_VALUE}: the gateway rides out a
 * database outage of any length); a {@link PoisonMessageException} goes to dead-letters at once; any other failure,
 * an {@link Error} included, is tried {@code maxFailures} times in all before it is dead-lettered, so a poison
 * record never blocks its partition. A dead letter that cannot be published (the broker is away) is tried again. When
 * the loop asks for the records back, the record in hand and those after it are left uncommitted.
 */
final class RecordWork implements ConsumerLoop.BatchHandler {
    private static final Logger LOG = Logger.getLogger(RecordWork.class);
    private final ConsumerLoop.RecordHandler handler;
    private final DeadLetters deadLetters;
    private final int maxAttempts;
    private final int maxFailures;

    RecordWork(ConsumerLoop.RecordHandler handler, DeadLetters deadLetters, int maxAttempts, int maxFailures) {
        this.handler = handler;
        this.deadLetters = deadLetters;
        this.maxAttempts = maxAttempts;
        this.maxFailures = maxFailures;
    }

    @Override
    public void handle(Batch batch) {
        for (ConsumerRecord<String, String> r : batch.records()) {
            if (batch.handBack() || !process(r, batch)) {
                return; // left uncommitted: redelivered to whoever owns the partition next
            }
        }
    }

    /**
     * Handles a record: done, or finishing off the slot ({@link Batch#finishLater}); false when the loop asked for it
     * back while it still failed or ran.
     */
    private boolean process(ConsumerRecord<String, String> r, Batch batch) {
        int failures = 0;
        for (int attempt = 1; ; attempt++) {
            try {
                CompletableFuture<?> tail = handler.handleThenFinish(r, batch::handBack);
                if (tail == null) {
                    batch.done(r);
                } else {
                    batch.finishLater(r, tail);
                }
                return true;
            } catch (ConsumerLoop.RetriableException | BrokerUnavailableException e) {
                if (batch.handBack()) {
                    LOG.infof(
                            "%s-%d@%d handed back while it failed (%s)",
                            r.topic(), r.partition(), r.offset(), e.getMessage());
                    return false;
                }
                if (attempt >= maxAttempts) {
                    return deadLetter(r, "gave up after " + attempt + " attempts: " + e.getMessage(), batch);
                }
                LOG.warnf(
                        "retrying %s-%d@%d (attempt %d): %s",
                        r.topic(), r.partition(), r.offset(), attempt, e.getMessage());
            } catch (PoisonMessageException e) {
                return deadLetter(r, e.getMessage(), batch);
            } catch (JobHandedBackException e) {
                return false;
            } catch (RuntimeException | Error e) {
                if (batch.handBack()) {
                    return false;
                }
                failures++;
                LOG.errorf(
                        e,
                        "unexpected failure %d of %d on %s-%d@%d",
                        failures,
                        maxFailures,
                        r.topic(),
                        r.partition(),
                        r.offset());
                if (failures >= maxFailures) {
                    return deadLetter(r, "unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage(), batch);
                }
            }
            if (!pause(Math.min(8000L, 500L << Math.min(attempt, 4)), batch)) {
                return false;
            }
        }
    }

    /** Publishes the dead letter, retrying while the broker is away; false when handed back meanwhile. */
    private boolean deadLetter(ConsumerRecord<String, String> r, String reason, Batch batch) {
        for (int attempt = 1; ; attempt++) {
            try {
                deadLetters.publish(r, reason);
                break;
            } catch (BrokerUnavailableException e) {
                LOG.warnf(
                        "dead letter of %s-%d@%d not published yet (attempt %d): %s",
                        r.topic(), r.partition(), r.offset(), attempt, e.getMessage());
                if (!pause(Math.min(8000L, 500L << Math.min(attempt, 4)), batch)) {
                    return false;
                }
            }
        }
        try {
            handler.onDeadLetter(r, reason);
        } catch (RuntimeException e) {
            LOG.errorf(e, "could not report dead letter of %s-%d@%d", r.topic(), r.partition(), r.offset());
        }
        batch.done(r);
        return true;
    }

    /** Sleeps, waking early when the loop wants the records back; false then. */
    private static boolean pause(long ms, Batch batch) {
        long end = System.nanoTime() + ms * 1_000_000;
        while (System.nanoTime() < end) {
            if (batch.handBack()) {
                return false;
            }
            Backoff.sleep(Math.min(100, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
        }
        return !batch.handBack();
    }
}
