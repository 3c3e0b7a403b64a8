package io.campanile.stage1.engine;

import io.campanile.diffusion.noise.SeededNoise;
import io.campanile.diffusion.tensor.Tensor;

/**
 * The job's noise, drawn per image so that an image never depends on how many others share its batch: image {@code i}
 * of stream {@code s} is {@code SeededNoise.gaussian(seed, s, i, C, H, W)}.
 */
public final class Noise {
    private Noise() {
    }

    /** Noise for images {@code first .. first + n - 1} of a stream, as one [n, C, H, W] tensor. */
    public static Tensor batch(long seed, String stream, int first, int n, int c, int s) {
        int plane = c * s * s;
        float[] data = new float[n * plane];
        for (int i = 0; i < n; i++) {
            System.arraycopy(SeededNoise.gaussian(seed, stream, first + i, c, s, s).data(), 0, data, i * plane, plane);
        }
        return new Tensor(new int[] {n, c, s, s}, data);
    }

    /** The stream of the noise added by the DDPM step at timestep t of a loop. */
    public static String stepStream(String loop, int t) {
        return loop + " step t=" + t;
    }
}
