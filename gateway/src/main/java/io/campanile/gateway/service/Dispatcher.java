package io.campanile.gateway.service;

import io.campanile.gateway.messaging.OutboxRelay;
import io.campanile.gateway.persistence.DispatchQueueRepository;
import io.campanile.gateway.persistence.DispatchQueueRepository.Waiting;
import io.campanile.gateway.persistence.OutboxRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Releases waiting jobs to their first topic, fairly across tenants (ADR 0016). Per lane, under the lane's advisory
 * lock: counts the jobs in flight, and while the window has room moves the next jobs ({@link FairOrder}) from
 * {@code dispatch_queue} to the outbox in one transaction, then wakes the relay. Woken at once after every submission
 * and every job end (after their commit), so a job whose lane has room waits no polling interval; a tick every
 * second catches anything else (a lane lock another replica held, a window that grew, a database back from an
 * outage). One dispatch thread per replica; wakes that come while it works coalesce into one more pass.
 */
@ApplicationScoped
public class Dispatcher {
    private static final Logger LOG = Logger.getLogger(Dispatcher.class);

    private final DispatchQueueRepository queue;
    private final OutboxRepository outbox;
    private final DispatchWindows windows;
    private final OutboxRelay relay;
    private final TransactionSynchronizationRegistry transactions;
    private final AtomicBoolean requested = new AtomicBoolean();
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "dispatcher");
        t.setDaemon(true);
        return t;
    });

    @Inject
    Dispatcher(
            DispatchQueueRepository queue,
            OutboxRepository outbox,
            DispatchWindows windows,
            OutboxRelay relay,
            TransactionSynchronizationRegistry transactions) {
        this.queue = queue;
        this.outbox = outbox;
        this.windows = windows;
        this.relay = relay;
        this.transactions = transactions;
    }

    /** Asks for a dispatch pass on the dispatch thread; returns at once. */
    public void wake() {
        if (requested.compareAndSet(false, true)) {
            try {
                thread.execute(() -> {
                    requested.set(false);
                    dispatchAll();
                });
            } catch (RejectedExecutionException e) {
                // the gateway stops: the next start's tick dispatches what waits
            }
        }
    }

    /**
     * Asks for a pass once the caller's transaction commits (a job accepted, or ended and so out of its window);
     * at once when there is no transaction.
     */
    public void wakeAfterCommit() {
        if (transactions.getTransactionKey() == null) {
            wake();
            return;
        }
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {}

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    wake();
                }
            }
        });
    }

    @Scheduled(every = "${campanile.gateway.dispatch.interval:1s}", delayed = "1s")
    void tick() {
        wake();
    }

    /** One pass over every lane with waiting jobs; how many jobs it dispatched. Tests call it directly. */
    public int dispatchAll() {
        int dispatched = 0;
        try {
            for (String lane : QuarkusTransaction.requiringNew().call(queue::lanesWithWaitingJobs)) {
                dispatched += dispatchLane(lane);
            }
        } catch (RuntimeException e) {
            LOG.warnf("dispatch failed, will retry: %s", e.toString());
        }
        if (dispatched > 0) {
            relay.wake();
        }
        return dispatched;
    }

    /** Fills the lane's window; how many jobs it dispatched. */
    int dispatchLane(String lane) {
        int dispatched = 0;
        Pass pass;
        do {
            pass = QuarkusTransaction.requiringNew().call(() -> dispatchOnce(lane));
            dispatched += pass.dispatched();
        } while (pass.picked() > pass.dispatched()); // jobs that ended while they waited left room: look again
        return dispatched;
    }

    /** One transaction of a lane: how many waiting jobs it picked, and how many of them it dispatched. */
    record Pass(int picked, int dispatched) {}

    private Pass dispatchOnce(String lane) {
        queue.lockLane(lane);
        Map<String, Long> inFlight = queue.inFlightByTenant(lane);
        long busy = inFlight.values().stream().mapToLong(Long::longValue).sum();
        int room = (int) Math.max(0, windows.of(lane) - busy);
        if (room == 0) {
            return new Pass(0, 0);
        }
        List<Waiting> picked = FairOrder.pick(queue.heads(lane, room), inFlight, room);
        Instant now = Instant.now();
        int dispatched = 0;
        for (Waiting w : picked) {
            if (queue.markDispatched(w.jobId(), now)) { // not when it was cancelled or failed while it waited
                outbox.insert(w.topic(), w.jobId().toString(), w.payload());
                dispatched++;
            }
            queue.remove(w.jobId());
        }
        return new Pass(picked.size(), dispatched);
    }

    @PreDestroy
    void stop() {
        thread.shutdownNow();
    }
}
