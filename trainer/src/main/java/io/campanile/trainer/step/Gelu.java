package io.campanile.trainer.step;

/**
 * The exact (erf) GELU of PyTorch's {@code nn.GELU()}, y = z Phi(z), and its derivative Phi(z) + z phi(z), on floats.
 * Phi comes from erfc by Abramowitz and Stegun 7.1.26 (absolute error under 1.5e-7, the float resolution at 1), whose
 * one exponential exp(-z^2 / 2) is also the normal density the derivative needs, so a training step pays one exp per
 * element. For negative z Phi is computed as erfc / 2 directly rather than as 1 - (1 - erfc / 2), so the tail keeps
 * its sign and about two significant digits down to z = -6 instead of cancelling to zero.
 */
public final class Gelu {
    static final float INV_SQRT2 = 0.70710678118654752f;
    static final float INV_SQRT_2PI = 0.39894228040143268f;
    static final float P = 0.3275911f;
    static final float A1 = 0.254829592f;
    static final float A2 = -0.284496736f;
    static final float A3 = 1.421413741f;
    static final float A4 = -1.453152027f;
    static final float A5 = 1.061405429f;

    private Gelu() {}

    /** GELU(z). */
    public static float value(float z) {
        float a = Math.abs(z) * INV_SQRT2;
        float e = (float) Math.exp(-a * a);
        float half = halfErfc(a, e);
        return z * (z >= 0 ? 1f - half : half);
    }

    /** dGELU/dz at z. */
    public static float derivative(float z) {
        float a = Math.abs(z) * INV_SQRT2;
        float e = (float) Math.exp(-a * a);
        float half = halfErfc(a, e);
        return (z >= 0 ? 1f - half : half) + z * e * INV_SQRT_2PI;
    }

    /** erfc(a) / 2 for a >= 0, given e = exp(-a^2). */
    private static float halfErfc(float a, float e) {
        float t = 1f / (1f + P * a);
        return 0.5f * ((((A5 * t + A4) * t + A3) * t + A2) * t + A1) * t * e;
    }

    /** y[i] = GELU(x[i]) for i in [0, n). */
    public static void forward(float[] x, float[] y, int n) {
        for (int i = 0; i < n; i++) {
            y[i] = value(x[i]);
        }
    }
}
