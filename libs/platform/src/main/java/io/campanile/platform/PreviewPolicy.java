package io.campanile.platform;

/**
 * When a job's denoising loop publishes a live preview: every {@code every} steps (0: never), and never sooner than
 * {@code minIntervalNanos} after the job's previous one ({@code campanile.worker.preview-every},
 * {@code campanile.worker.preview-interval-ms}).
 */
public record PreviewPolicy(int every, long minIntervalNanos) {
    /** Every 5 steps, at most 2 per second. */
    public static final PreviewPolicy DEFAULT = new PreviewPolicy(5, 500_000_000L);

    /** Off: no previews. */
    public static final PreviewPolicy OFF = new PreviewPolicy(0, 0);

    public PreviewPolicy {
        if (every < 0 || minIntervalNanos < 0) {
            throw new IllegalArgumentException("preview settings must not be negative");
        }
    }
}
