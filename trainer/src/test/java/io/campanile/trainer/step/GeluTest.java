package io.campanile.trainer.step;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GeluTest {
    /** erf(x) by Simpson's rule on 2 / sqrt(pi) exp(-s^2) with 20000 intervals: error far below 1e-12. */
    static double erf(double x) {
        int n = 20000;
        double h = x / n;
        double sum = 1 + Math.exp(-x * x);
        for (int i = 1; i < n; i++) {
            double s = i * h;
            sum += (i % 2 == 1 ? 4 : 2) * Math.exp(-s * s);
        }
        return 2 / Math.sqrt(Math.PI) * sum * h / 3;
    }

    static double gelu(double z) {
        return 0.5 * z * (1 + erf(z / Math.sqrt(2)));
    }

    @Test
    void valueIsTheErfGeluToFloatPrecision() {
        double worst = 0;
        for (double z = -8; z <= 8; z += 0.01) {
            double expected = gelu(z);
            double got = Gelu.value((float) z);
            worst = Math.max(worst, Math.abs(got - expected) / Math.max(1, Math.abs(z)));
        }
        assertTrue(worst < 3e-7, "worst error relative to max(1, |z|): " + worst);
        assertEquals(0.0, Gelu.value(0f));
        assertEquals(-0.0, Gelu.value(-50f), 0.0);
        assertEquals(50.0, Gelu.value(50f), 0.0);
    }

    @Test
    void negativeTailsStayWithinOnePercent() {
        for (double z = -6; z <= -2; z += 0.25) {
            double expected = gelu(z);
            assertEquals(expected, Gelu.value((float) z), 1e-2 * Math.abs(expected), "z = " + z);
        }
    }

    @Test
    void derivativeMatchesTheReferenceSlope() {
        double worst = 0;
        for (double z = -8; z <= 8; z += 0.01) {
            double h = 1e-5;
            double expected = (gelu(z + h) - gelu(z - h)) / (2 * h);
            worst = Math.max(worst, Math.abs(Gelu.derivative((float) z) - expected));
        }
        assertTrue(worst < 1e-6, "worst slope error: " + worst);
    }
}
