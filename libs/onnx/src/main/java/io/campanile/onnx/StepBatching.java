package io.campanile.onnx;

import java.time.Duration;

/**
 * How a UNet pack merges the denoising steps of concurrent jobs into one call (continuous batching, ADR 0022); built
 * from {@link OnnxConfig} ({@code campanile.onnx.batch-*}). Jobs join the batch at their next step and leave when
 * they end; a call that is alone runs at once.
 *
 * @param maxRows the most rows (images, times the branches of classifier-free guidance) in one merged call; a
 *     single call with more runs alone
 * @param maxMegabytes the most megabytes of input and output tensors in one merged call
 * @param maxWait how long a step waits for the steps of the other jobs that ran with it last time, before it runs
 *     with those that came
 * @throws IllegalArgumentException naming the configuration key of a bad value
 */
public record StepBatching(int maxRows, long maxMegabytes, Duration maxWait) {
    public StepBatching {
        if (maxRows < 1) {
            throw new IllegalArgumentException(OnnxConfig.BATCH_ROWS + " must be at least 1, got " + maxRows);
        }
        if (maxMegabytes < 1) {
            throw new IllegalArgumentException(OnnxConfig.BATCH_MEGABYTES + " must be at least 1, got " + maxMegabytes);
        }
        if (maxWait == null || maxWait.isNegative()) {
            throw new IllegalArgumentException(OnnxConfig.BATCH_WAIT_MS + " must be 0 or more, got " + maxWait);
        }
    }

    /** Every call alone: nothing is merged. */
    public static StepBatching off() {
        return new StepBatching(1, 1, Duration.ZERO);
    }

    /** Whether calls are merged at all. */
    public boolean merges() {
        return maxRows > 1;
    }
}
