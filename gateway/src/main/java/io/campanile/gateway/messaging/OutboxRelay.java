package io.campanile.gateway.messaging;

import io.campanile.gateway.persistence.OutboxEntity;
import io.campanile.gateway.persistence.OutboxRepository;
import io.campanile.platform.BrokerUnavailableException;
import io.campanile.platform.JsonProducer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Publishes the outbox: locks a batch of rows (SKIP LOCKED, so several gateway replicas can relay side by side),
 * sends them and waits for the acknowledgements, then deletes them in the same transaction. A failed send rolls back
 * and the rows go again on the next tick (at-least-once; consumers are idempotent). Besides its tick, the dispatcher
 * wakes it once it moved job requests into the outbox ({@link #wake}), so a dispatched job waits no tick; one relay
 * pass runs at a time in a replica, and a pass asked for while one runs follows it at once.
 */
@ApplicationScoped
public class OutboxRelay {
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final int BATCH = 200;
    private final OutboxRepository outbox;
    private final JsonProducer producer;
    private final BrokerStatus broker;
    private final CoalescedPasses passes = new CoalescedPasses();
    private final AtomicBoolean wakeRequested = new AtomicBoolean();
    private final ExecutorService waker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "outbox-relay-wake");
        t.setDaemon(true);
        return t;
    });

    @Inject
    OutboxRelay(OutboxRepository outbox, JsonProducer producer, BrokerStatus broker) {
        this.outbox = outbox;
        this.producer = producer;
        this.broker = broker;
    }

    @Scheduled(
            every = "${campanile.gateway.outbox-interval:0.1s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void relay() {
        passes.run(this::pass);
    }

    /** One relay pass: batches until the outbox is empty; false when it stopped on a failure (the tick retries). */
    private boolean pass() {
        try {
            while (QuarkusTransaction.requiringNew().call(this::relayBatch) == BATCH) {
                // a full batch: more may be waiting
            }
            return true;
        } catch (BrokerUnavailableException e) {
            broker.report(false);
            LOG.warnf("outbox relay paused: %s", e.getMessage());
        } catch (RuntimeException e) {
            LOG.warnf("outbox relay failed, will retry: %s", e.toString());
        }
        return false;
    }

    /** Asks for a relay pass now, off the caller's thread; wakes that come during one coalesce into the next. */
    public void wake() {
        if (wakeRequested.compareAndSet(false, true)) {
            try {
                waker.execute(() -> {
                    wakeRequested.set(false);
                    relay();
                });
            } catch (RejectedExecutionException e) {
                // the gateway stops
            }
        }
    }

    @PreDestroy
    void stop() {
        waker.shutdownNow();
    }

    private int relayBatch() {
        List<OutboxEntity> rows = outbox.lockOldest(BATCH);
        if (rows.isEmpty()) {
            return 0;
        }
        producer.sendAll(rows.stream()
                .map(r -> new JsonProducer.Raw(r.topic, r.key, r.payload))
                .toList());
        broker.report(true);
        outbox.delete(rows.stream().map(r -> r.id).toList());
        return rows.size();
    }
}
