package io.campanile.gateway.messaging;

import io.campanile.gateway.persistence.OutboxEntity;
import io.campanile.gateway.persistence.OutboxRepository;
import io.campanile.platform.BrokerUnavailableException;
import io.campanile.platform.JsonProducer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Publishes the outbox: locks a batch of rows (SKIP LOCKED, so several gateway replicas can relay side by side),
 * sends them and waits for the acknowledgements, then deletes them in the same transaction. A failed send rolls back
 * and the rows go again on the next tick (at-least-once; consumers are idempotent).
 */
@ApplicationScoped
public class OutboxRelay {
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final int BATCH = 200;
    private final OutboxRepository outbox;
    private final JsonProducer producer;
    private final BrokerStatus broker;

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
        try {
            while (QuarkusTransaction.requiringNew().call(this::relayBatch) == BATCH) {
                // a full batch: more may be waiting
            }
        } catch (BrokerUnavailableException e) {
            broker.report(false);
            LOG.warnf("outbox relay paused: %s", e.getMessage());
        } catch (RuntimeException e) {
            LOG.warnf("outbox relay failed, will retry: %s", e.toString());
        }
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
