package io.campanile.platform;

/**
 * How long a consumer that failed waits before it is made again: 0.5 s doubling to 30 s (ADR 0010), shared by the
 * consumer loop and the job-control reader; and a sleep that keeps the interrupt for its caller.
 */
final class Backoff {
    private Backoff() {}

    /** The pause before the next consumer, after {@code failures} failures in a row. */
    static long delayMillis(int failures) {
        return Math.min(30_000L, 500L << Math.min(failures, 6));
    }

    /** Sleeps; an interrupt ends the sleep and stays set on the thread. */
    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
