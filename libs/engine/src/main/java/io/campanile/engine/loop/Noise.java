package io.campanile.engine.loop;

import io.campanile.diffusion.noise.SeededNoise;
import io.campanile.diffusion.tensor.Tensor;

/**
 * The job's noise streams, drawn per image so that an image never depends on how many others share its batch: image
 * {@code i} of stream {@code s} is {@code SeededNoise.gaussian(seed, s, i, C, H, W)}. Every draw of every engine run
 * (stage I, stage II, the trainer's sampler) comes from here.
 */
public final class Noise {
    private Noise() {}

    /** Noise for images {@code first .. first + n - 1} of a stream, as one [n, C, H, W] tensor. */
    public static Tensor batch(long seed, String stream, int first, int n, int c, int s) {
        Tensor out = Tensor.zeros(n, c, s, s);
        fill(seed, stream, first, out);
        return out;
    }

    /**
     * Writes the noise of images {@code first .. first + N - 1} of a stream into {@code out} [N, C, H, W] (a buffer
     * reused from step to step; each image's draw is copied in).
     */
    public static void fill(long seed, String stream, int first, Tensor out) {
        int n = out.dim(0);
        int plane = out.size() / n;
        for (int i = 0; i < n; i++) {
            float[] z = SeededNoise.gaussian(seed, stream, first + i, out.dim(1), out.dim(2), out.dim(3))
                    .data();
            System.arraycopy(z, 0, out.data(), i * plane, plane);
        }
    }

    /** The stream of the noise added by the DDPM step at timestep t of a loop. */
    public static String stepStream(String loop, int t) {
        return loop + " step t=" + t;
    }
}
