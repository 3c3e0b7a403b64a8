package io.campanile.diffusion.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.campanile.diffusion.noise.SeededNoise;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Checks the allocation-free threshold against a sort-based quantile written here (numpy's "linear" method). */
class DynamicThresholdTest {

    /** Scales of x0 that put the 0.95 quantile below 1, between 1 and 1.5, and above 1.5; odd and even sizes. */
    @ParameterizedTest
    @CsvSource({
        "0.3, 192, 0.95",
        "0.55, 192, 0.95",
        "0.65, 191, 0.95",
        "0.7, 1000, 0.95",
        "2.0, 192, 0.95",
        "0.6, 7, 0.5",
        "0.6, 1, 0.95",
        "0.6, 97, 1.0",
        "0.61, 50, 0.9"
    })
    void matchesSortedQuantile(double scale, int n, double ratio) {
        float[] x = SeededNoise.gaussian(11, "x", n, n).data();
        for (int i = 0; i < n; i++) {
            x[i] *= (float) scale;
        }
        float[] zeros = new float[n];
        float s = DynamicThreshold.scale(x, zeros, 0, n, 0f, 1f, ratio, 1.5);
        assertEquals(reference(x, ratio, 1.5), s, 1e-6);
    }

    @ParameterizedTest
    @CsvSource({"0.5", "1.0"})
    void thresholdIsSampleMaxValueWhenBelowOne(double max) {
        float[] x = {0.1f, 0.2f, 0.3f, 0.2f};
        assertEquals((float) Math.min(1.0, max), DynamicThreshold.scale(x, new float[4], 0, 4, 0f, 1f, 0.95, max));
    }

    @ParameterizedTest
    @CsvSource({"0", "3"})
    void nanMakesTheThresholdNaN(int at) {
        float[] x = {1.2f, 1.3f, 1.1f, 1.4f, 1.25f};
        x[at] = Float.NaN;
        assertTrue(Float.isNaN(DynamicThreshold.scale(x, new float[5], 0, 5, 0f, 1f, 0.95, 1.5)));
    }

    /** Selection gives every order statistic of random, sorted, reversed and heavily repeated values. */
    @ParameterizedTest
    @CsvSource({"random, 1001", "sorted, 64", "reversed, 65", "repeated, 300", "constant, 17", "random, 1"})
    void selectFindsEveryOrderStatistic(String kind, int n) {
        float[] values = SeededNoise.gaussian(5, kind, 0, n).data();
        for (int i = 0; i < n; i++) {
            values[i] = switch (kind) {
                case "sorted" -> i;
                case "reversed" -> n - i;
                case "repeated" -> Math.round(Math.abs(values[i]) * 2) / 2f;
                case "constant" -> 1.5f;
                default -> Math.abs(values[i]);
            };
        }
        float[] sorted = values.clone();
        Arrays.sort(sorted);
        for (int k = 0; k < n; k++) {
            float[] a = values.clone();
            assertEquals(sorted[k], DynamicThreshold.select(a, k), "k = " + k);
            for (int i = 0; i < n; i++) {
                assertTrue(i <= k ? a[i] <= a[k] : a[i] >= a[k], "partition at " + i + " for k = " + k);
            }
        }
    }

    private static double reference(float[] x, double ratio, double max) {
        double[] a = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            a[i] = Math.abs(x[i]);
        }
        Arrays.sort(a);
        double pos = ratio * (a.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = (int) Math.ceil(pos);
        double q = a[lo] + (pos - lo) * (a[hi] - a[lo]);
        return Math.min(Math.max(q, 1.0), max);
    }
}
