package io.campanile.trainer.model;

import java.util.SplittableRandom;

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
    /**
     * Random inputs of the right shapes (for benchmarks and tests): x and target standard normal, t uniform over
     * {0, 1/T, ..., (T-1)/T} with T = 300, and one-hot classes, every {@code uncondEvery}-th row zero (0: none).
     */
    public static Batch random(int n, int numClasses, int uncondEvery, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * 784];
        float[] target = new float[n * 784];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
            target[i] = (float) r.nextGaussian();
        }
        float[] t = new float[n];
        float[] c = new float[n * numClasses];
        for (int i = 0; i < n; i++) {
            t[i] = r.nextInt(300) / 300f;
            if (uncondEvery == 0 || i % uncondEvery != 0) {
                c[i * numClasses + r.nextInt(numClasses)] = 1;
            }
        }
        return new Batch(x, t, c, target, n);
    }
}
