package io.campanile.trainer.model;

import io.campanile.engine.loop.Guidance;
import java.util.Arrays;

/** A network on n images [n, 1, 28, 28] with t / T [n] and class one-hots [n, K] (either may be null when unused). */
@FunctionalInterface
public interface EpsilonModel {
    float[] predict(float[] x, float[] t, float[] c, int n);

    /**
     * Classifier-free guidance for n images at one t / T: {@code eps_u + scale (eps_c - eps_u)}, eps_c with the
     * class one-hots {@code c} [n, K], eps_u with zero vectors. This form runs one forward of 2n rows, conditional
     * then unconditional; a model whose encoder the two rows of an image can share overrides it.
     */
    default float[] guided(float[] x, float t, float[] c, int n, float scale) {
        float[] x2 = new float[2 * x.length];
        System.arraycopy(x, 0, x2, 0, x.length);
        System.arraycopy(x, 0, x2, x.length, x.length);
        float[] c2 = new float[2 * c.length];
        System.arraycopy(c, 0, c2, 0, c.length);
        float[] t2 = new float[2 * n];
        Arrays.fill(t2, t);
        float[] out = predict(x2, t2, c2, 2 * n);
        float[] eps = new float[x.length];
        Guidance.mix(out, 0, out, x.length, scale, eps, 0, x.length);
        return eps;
    }
}
