package io.campanile.platform;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Rides out outages of storage and the broker inside a job: a call that fails retriably is tried again with back-off
 * until it works, the worker hands the job back, or the outage has lasted the bound, when the job FAILS with the
 * reason. What the job computed stays in memory meanwhile, so finished work is never redone.
 */
final class Outages {
    private static final Logger LOG = Logger.getLogger(Outages.class);
    private final Duration bound;
    private final BooleanSupplier handBack;

    Outages(Duration bound, BooleanSupplier handBack) {
        this.bound = bound;
        this.handBack = handBack;
    }

    <T> T retry(String what, Supplier<T> call) {
        long start = System.nanoTime();
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (StorageClient.StorageUnavailableException | BrokerUnavailableException e) {
                long waited = System.nanoTime() - start;
                if (waited >= bound.toNanos()) {
                    throw new JobFailedException((e instanceof BrokerUnavailableException ? "the broker" : "storage")
                            + " was unavailable for " + waited / 1_000_000_000 + " s while the job tried to " + what
                            + " (campanile.worker.outage-seconds = " + bound.toSeconds() + "): " + e.getMessage());
                }
                if (attempt == 1 || attempt % 10 == 0) {
                    LOG.warnf("could not %s yet (attempt %d), retrying: %s", what, attempt, e.getMessage());
                }
                pause(Math.min(5000L, 250L << Math.min(attempt, 5)));
            }
        }
    }

    void run(String what, Runnable call) {
        retry(what, () -> {
            call.run();
            return null;
        });
    }

    private void pause(long ms) {
        long end = System.nanoTime() + ms * 1_000_000;
        while (System.nanoTime() < end) {
            if (handBack.getAsBoolean()) {
                throw new JobHandedBackException("handed back while waiting for an outage to end");
            }
            Backoff.sleep(50);
        }
    }
}
