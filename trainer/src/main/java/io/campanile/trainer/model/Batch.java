package io.campanile.trainer.model;

/**
 * One training batch of n images, flattened row-major.
 *
 * @param x network input [n, 1, 28, 28]
 * @param t t / T [n] (null for the denoiser)
 * @param c class one-hots [n, K], zero rows unconditional (null unless class-conditioned)
 * @param target what the network should output [n, 1, 28, 28]
 * @param n batch size
 */
public record Batch(float[] x, float[] t, float[] c, float[] target, int n) {
}
