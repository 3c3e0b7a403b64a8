package io.campanile.platform;

import io.campanile.contracts.JobEventMessage;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Leases on running jobs: STARTED holds the job for one lease, and a timer renews it with a HEARTBEAT every third of
 * the lease while the job runs, off the job's thread, so a long UNet step renews it too. When the worker dies the
 * renewals stop, and the gateway sees the lease lapse.
 */
final class Heartbeats {
    private static final Logger LOG = Logger.getLogger(Heartbeats.class);
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "job-heartbeats");
        t.setDaemon(true);
        return t;
    });
    private final JobWorker.Services services;

    Heartbeats(JobWorker.Services services) {
        this.services = services;
    }

    /** Reports STARTED for {@code attempt} (riding out a broker outage) and renews the lease until stopped. */
    Lease start(UUID jobId, int attempt, JobContext context) {
        long leaseMs = services.policy().lease().toMillis();
        long t0 = System.nanoTime();
        context.events()
                .publishNow(JobEventMessage.started(
                        jobId, services.instance(), attempt, Instant.now().plusMillis(leaseMs)));
        context.events().addTiming("start", System.nanoTime() - t0);
        long every = Math.max(1, leaseMs / 3);
        ScheduledFuture<?> renewal =
                TIMER.scheduleAtFixedRate(() -> renew(jobId, attempt, leaseMs), every, every, TimeUnit.MILLISECONDS);
        return new Lease(renewal);
    }

    private void renew(UUID jobId, int attempt, long leaseMs) {
        try {
            services.publishAsync(JobEventMessage.heartbeat(
                    jobId, services.instance(), attempt, Instant.now().plusMillis(leaseMs)));
        } catch (RuntimeException e) {
            LOG.warnf("heartbeat of job %s not sent: %s", jobId, e.getMessage()); // the next one may go through
        }
    }

    /** A running job's lease; closing it stops the renewals. */
    static final class Lease implements AutoCloseable {
        private final ScheduledFuture<?> renewal;

        private Lease(ScheduledFuture<?> renewal) {
            this.renewal = renewal;
        }

        void stop() {
            renewal.cancel(false);
        }

        @Override
        public void close() {
            stop();
        }
    }
}
