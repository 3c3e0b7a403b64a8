package io.campanile.diffusion.schedule;

/**
 * Dynamic thresholding of a predicted clean image (Saharia et al. 2022, "Imagen", section 2.3), as diffusers'
 * {@code DDPMScheduler._threshold_sample}: per sample, {@code s = quantile(|x0_hat|, ratio)} with
 * {@code torch.quantile}'s linear interpolation, clamped to {@code [1, sampleMaxValue]}; then {@code x0_hat =
 * clamp(x0_hat, -s, s) / s}.
 *
 * <p>{@code x0_hat} is never stored: it is recomputed from {@code x_t} and {@code eps} by {@link #x0} on every pass,
 * so the order statistics are found without allocating. A first counting pass settles the common cases where the
 * clamp decides {@code s} (the quantile is at most 1 or at least {@code sampleMaxValue}). Otherwise, as non-negative
 * floats order like their bit patterns, the k-th smallest {@code |x0_hat|} is found by bisecting over the 31-bit
 * patterns and counting (about 32 passes over the sample). A NaN makes the threshold NaN, as in torch.
 */
final class DynamicThreshold {

    private static final int POSITIVE_INFINITY_BITS = Float.floatToIntBits(Float.POSITIVE_INFINITY);

    private DynamicThreshold() {}

    /**
     * {@code x0_hat = (x_t - sqrt(1 - alpha_bar_t) eps) / sqrt(alpha_bar_t)} (Ho et al. 2020, eq. 15), with
     * {@code noiseCoef = sqrt(1 - alpha_bar_t)} and {@code invSqrtAlphaBar = 1 / sqrt(alpha_bar_t)}.
     */
    static float x0(float x, float e, float noiseCoef, float invSqrtAlphaBar) {
        return (x - noiseCoef * e) * invSqrtAlphaBar;
    }

    /**
     * The threshold {@code s} of one sample, elements {@code [off, off + n)}.
     *
     * @param ratio the quantile, in (0, 1]
     * @param sampleMaxValue the upper clamp of {@code s}
     */
    static float scale(
            float[] x,
            float[] e,
            int off,
            int n,
            float noiseCoef,
            float invSqrtAlphaBar,
            double ratio,
            double sampleMaxValue) {
        Pass pass = new Pass(x, e, off, n, noiseCoef, invSqrtAlphaBar);
        double pos = ratio * (n - 1);
        int lo = (int) Math.floor(pos);
        double weight = pos - lo;
        int hi = weight > 0 && lo + 1 < n ? lo + 1 : lo;
        // One pass settles the usual cases: q is interpolated between the lo-th and hi-th smallest values.
        Counts counts = pass.counts((float) sampleMaxValue);
        if (counts.notNaN() < n) {
            return Float.NaN;
        }
        if (counts.atMostOne() > hi) {
            return (float) Math.min(1.0, sampleMaxValue); // the hi-th value <= 1, so q <= 1
        }
        if (counts.belowMax() <= lo) {
            return (float) sampleMaxValue; // the lo-th value >= sample_max_value, so q >= sample_max_value
        }
        float below = pass.kthSmallest(lo);
        float above = hi == lo || pass.countAtMost(below) > hi ? below : pass.minAbove(below);
        double q = below + weight * ((double) above - below);
        return (float) Math.min(Math.max(q, 1.0), sampleMaxValue);
    }

    /** Counts of {@code |x0_hat| <= 1}, {@code |x0_hat| < sampleMaxValue} and of non-NaN values. */
    private record Counts(int atMostOne, int belowMax, int notNaN) {}

    /** Counting passes over one sample's {@code |x0_hat|}. */
    private record Pass(float[] x, float[] e, int off, int n, float noiseCoef, float invSqrtAlphaBar) {

        /** The k-th smallest {@code |x0_hat|} (0-based); the sample must hold no NaN. */
        float kthSmallest(int k) {
            int lo = 0;
            int hi = POSITIVE_INFINITY_BITS;
            // Invariant: count(<= bits hi) > k; find the smallest such bit pattern.
            while (lo < hi) {
                int mid = lo + (hi - lo) / 2;
                if (countAtMost(Float.intBitsToFloat(mid)) > k) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            return Float.intBitsToFloat(lo);
        }

        Counts counts(float max) {
            int atMostOne = 0;
            int belowMax = 0;
            int notNaN = 0;
            for (int i = off; i < off + n; i++) {
                float a = Math.abs(x0(x[i], e[i], noiseCoef, invSqrtAlphaBar));
                atMostOne += a <= 1f ? 1 : 0;
                belowMax += a < max ? 1 : 0;
                notNaN += a == a ? 1 : 0;
            }
            return new Counts(atMostOne, belowMax, notNaN);
        }

        /** The smallest {@code |x0_hat|} above {@code limit} (callers know one exists). */
        float minAbove(float limit) {
            float m = Float.POSITIVE_INFINITY;
            for (int i = off; i < off + n; i++) {
                float a = Math.abs(x0(x[i], e[i], noiseCoef, invSqrtAlphaBar));
                if (a > limit && a < m) {
                    m = a;
                }
            }
            return m;
        }

        int countAtMost(float limit) {
            int count = 0;
            for (int i = off; i < off + n; i++) {
                if (Math.abs(x0(x[i], e[i], noiseCoef, invSqrtAlphaBar)) <= limit) {
                    count++;
                }
            }
            return count;
        }
    }
}
