package io.campanile.contracts;

/**
 * A live preview of a running job: a small PNG of the current x0-hat (the loop's estimate of the clean image) of the
 * job's first image at {@code step} of {@code total} in {@code stage}. Serialised with the PNG as base64.
 *
 * @param png the PNG bytes: at most 64 px wide for stage I, 128 px for stage II
 */
public record Preview(String stage, int step, int total, byte[] png) {}
