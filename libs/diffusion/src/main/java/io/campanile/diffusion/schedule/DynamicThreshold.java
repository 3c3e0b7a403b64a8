package io.campanile.diffusion.schedule;

/**
 * Dynamic thresholding of a predicted clean image (Saharia et al. 2022, "Imagen", section 2.3), as diffusers'
 * {@code DDPMScheduler._threshold_sample}: per sample, {@code s = quantile(|x0_hat|, ratio)} with
 * {@code torch.quantile}'s linear interpolation, clamped to {@code [1, sampleMaxValue]}; then {@code x0_hat =
 * clamp(x0_hat, -s, s) / s}.
 *
 * <p>A first counting pass over {@code x0_hat} (recomputed from {@code x_t} and {@code eps} by {@link #x0}, without
 * storing it) settles the common cases where the clamp decides {@code s}: the quantile is at most 1 or at least
 * {@code sampleMaxValue}. Otherwise {@code |x0_hat|} is written into a scratch array once and the order statistics
 * are found by selection (Hoare's quickselect, linear on average), not by sorting. A NaN makes the threshold NaN, as
 * in torch.
 */
final class DynamicThreshold {

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
        float[] a = pass.magnitudes();
        float below = select(a, lo);
        float above = hi == lo ? below : minFrom(a, lo + 1);
        double q = below + weight * ((double) above - below);
        return (float) Math.min(Math.max(q, 1.0), sampleMaxValue);
    }

    /**
     * Reorders {@code a} (no NaN) so that {@code a[k]} is its k-th smallest value (0-based), everything before it is at
     * most {@code a[k]} and everything after it at least {@code a[k]}; returns {@code a[k]}.
     */
    static float select(float[] a, int k) {
        int left = 0;
        int right = a.length - 1;
        while (right > left) {
            // Median of three as the pivot keeps sorted or constant runs linear.
            int mid = (left + right) >>> 1;
            float pivot = median(a[left], a[mid], a[right]);
            int i = left;
            int j = right;
            while (i <= j) {
                while (a[i] < pivot) {
                    i++;
                }
                while (a[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    float tmp = a[i];
                    a[i] = a[j];
                    a[j] = tmp;
                    i++;
                    j--;
                }
            }
            // Now a[left..j] <= pivot <= a[i..right], and everything strictly between j and i equals the pivot.
            if (k <= j) {
                right = j;
            } else if (k >= i) {
                left = i;
            } else {
                return a[k];
            }
        }
        return a[k];
    }

    private static float median(float a, float b, float c) {
        return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    }

    /** The smallest of {@code a[from..]}. */
    private static float minFrom(float[] a, int from) {
        float m = Float.POSITIVE_INFINITY;
        for (int i = from; i < a.length; i++) {
            m = Math.min(m, a[i]);
        }
        return m;
    }

    /** Counts of {@code |x0_hat| <= 1}, {@code |x0_hat| < sampleMaxValue} and of non-NaN values. */
    private record Counts(int atMostOne, int belowMax, int notNaN) {}

    /** Counting passes over one sample's {@code |x0_hat|}. */
    private record Pass(float[] x, float[] e, int off, int n, float noiseCoef, float invSqrtAlphaBar) {

        /** {@code |x0_hat|} of the sample, in a new array. */
        float[] magnitudes() {
            float[] a = new float[n];
            for (int i = 0; i < n; i++) {
                a[i] = Math.abs(x0(x[off + i], e[off + i], noiseCoef, invSqrtAlphaBar));
            }
            return a;
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
    }
}
