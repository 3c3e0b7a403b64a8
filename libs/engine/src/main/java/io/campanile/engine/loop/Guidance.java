package io.campanile.engine.loop;

/**
 * Classifier-free guidance (Ho &amp; Salimans 2022, eq. 6): {@code eps = eps_u + g (eps_c - eps_u)}. The one place
 * the formula is written; stage I, stage II and the trainer's sampler call it on their batch layouts.
 */
public final class Guidance {
    private Guidance() {}

    /** Whether a scale turns guidance on: g &lt;= 1 runs the conditional branch alone. */
    public static boolean active(double scale) {
        return scale > 1.0;
    }

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
