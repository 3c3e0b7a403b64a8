package io.campanile.trainer.step;

/** Where a training step's time goes (nanoseconds, summed over steps), for the benchmark. Not thread-safe. */
public final class StepTimer {
    /** The timed parts of a step; OTHER is the rest of {@link TrainStep#run}. */
    public enum Phase {
        CONV_FORWARD,
        CONV_BACKWARD,
        BN_GELU_FORWARD,
        BN_GELU_BACKWARD,
        OTHER
    }

    private final long[] nanos = new long[Phase.values().length];

    /** A step's start: its time and the phases' totals then. */
    record Start(long nanoTime, long[] before) {}

    Start begin() {
        return new Start(System.nanoTime(), nanos.clone());
    }

    /** Adds the time since {@code startNanos} (a {@link System#nanoTime}) to a phase. */
    void add(Phase phase, long startNanos) {
        nanos[phase.ordinal()] += System.nanoTime() - startNanos;
    }

    /** Ends a step: the part of its time no phase counted goes to OTHER. */
    void end(Start start) {
        long total = System.nanoTime() - start.nanoTime();
        long timed = 0;
        for (Phase p : Phase.values()) {
            timed += p == Phase.OTHER ? 0 : nanos[p.ordinal()] - start.before()[p.ordinal()];
        }
        nanos[Phase.OTHER.ordinal()] += total - timed;
    }

    /** Nanoseconds per phase so far, in {@link Phase} order. */
    long[] nanos() {
        return nanos.clone();
    }
}
