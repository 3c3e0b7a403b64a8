package io.campanile.stage2.engine;

import io.campanile.diffusion.noise.SeededNoise;
import io.campanile.diffusion.tensor.Tensor;

/**
 * The job's noise, drawn per image so that an image never depends on how many others share its batch: image {@code i}
 * of stream {@code s} is {@code SeededNoise.gaussian(seed, s, i, C, H, W)}.
 */
public final class Noise {
    /** The noise that takes the upscaled image to the noise level. */
    public static final String NOISE_LEVEL = "stage2 noise_level";
    /** The pure noise x_T the loop starts from. */
    public static final String INIT = "stage2 init";
    /** The noise of the DDPM steps (one stream per timestep, see {@link #stepStream}). */
    public static final String STEPS = "stage2";

    private Noise() {
    }

    /**
     * Writes the noise of images {@code 0 .. N - 1} of a stream into {@code out} [N, C, H, W] (the buffer is reused
     * from step to step; each image's draw is copied in).
     */
    public static void fill(long seed, String stream, Tensor out) {
        int n = out.dim(0);
        int plane = out.size() / n;
        for (int i = 0; i < n; i++) {
            float[] z = SeededNoise.gaussian(seed, stream, i, out.dim(1), out.dim(2), out.dim(3)).data();
            System.arraycopy(z, 0, out.data(), i * plane, plane);
        }
    }

    /** The noise of images {@code 0 .. n - 1} of a stream, as a new [n, C, H, W] tensor. */
    public static Tensor batch(long seed, String stream, int n, int c, int s) {
        Tensor out = Tensor.zeros(n, c, s, s);
        fill(seed, stream, out);
        return out;
    }

    /** The stream of the noise added by the DDPM step at timestep t. */
    public static String stepStream(int t) {
        return STEPS + " step t=" + t;
    }
}
