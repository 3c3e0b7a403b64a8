package io.campanile.gateway.messaging;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * Runs a pass over shared work (the outbox) from several threads (a timer, wakes), one at a time, without losing a
 * request: a caller that finds a pass under way returns at once, and that pass runs once more when it ends, so work
 * written while it ran waits for no timer. A pass that reports failure is not repeated: the timer retries it.
 */
final class CoalescedPasses {
    /** A pass is under way (not reentrant: a pass that asks for another gets it after it ends). */
    private final AtomicBoolean running = new AtomicBoolean();
    /** A pass was asked for since the last one began. */
    private final AtomicBoolean wanted = new AtomicBoolean();

    /** Runs {@code pass} now, or has the pass under way run it once more; {@code pass} returns false on failure. */
    void run(BooleanSupplier pass) {
        wanted.set(true);
        while (wanted.get()) {
            if (!running.compareAndSet(false, true)) {
                return; // the pass under way sees `wanted` when it ends and runs again
            }
            try {
                wanted.set(false);
                if (!pass.getAsBoolean()) {
                    return;
                }
            } finally {
                running.set(false);
            }
        }
    }
}
