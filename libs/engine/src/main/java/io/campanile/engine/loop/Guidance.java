package io.campanile.engine.loop;

/**
 * Classifier-free guidance (Ho &amp; Salimans 2022, eq. 6): {@code eps = eps_u + g (eps_c - eps_u)}. The one place
 * the formula is written; stage I, stage II and the trainer's sampler call it on their batch layouts. Which scales
 * run the unconditional branch at all is the sampler's choice ({@code Sampler#guides}).
 */
public final class Guidance {
    private Guidance() {}

    /**
     * Writes {@code n} guided values: {@code out[o + k] = u[uo + k] + g (c[co + k] - u[uo + k])}. {@code out} may be
     * {@code c} itself at the same offset.
     */
    public static void mix(float[] c, int co, float[] u, int uo, float g, float[] out, int o, int n) {
        for (int k = 0; k < n; k++) {
            float eu = u[uo + k];
            out[o + k] = eu + g * (c[co + k] - eu);
        }
    }
}
