package io.campanile.diffusion.noise;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** FdlibmKernels must return StrictMath's bits: on the noise's own inputs, near every branch point, and elsewhere. */
class FdlibmKernelsTest {

    private final double[] cs = new double[2];

    private void check(double x) {
        FdlibmKernels.cosSin(x, cs);
        assertEquals(
                Double.doubleToRawLongBits(StrictMath.cos(x)), Double.doubleToRawLongBits(cs[0]), () -> "cos " + x);
        assertEquals(
                Double.doubleToRawLongBits(StrictMath.sin(x)), Double.doubleToRawLongBits(cs[1]), () -> "sin " + x);
        if (x > 0) {
            assertEquals(
                    Double.doubleToRawLongBits(StrictMath.log(x)),
                    Double.doubleToRawLongBits(FdlibmKernels.log(x)),
                    () -> "log " + x);
        }
    }

    /** The values SeededNoise asks for: log(1 - u) and the angle 2 pi u, u a 53-bit uniform. */
    @Test
    void matchesStrictMathOnTheNoiseInputs() {
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 2_000_000; i++) {
            double u = (r.nextLong() >>> 11) * 0x1.0p-53;
            check(1.0 - u);
            check(2 * Math.PI * u);
        }
        check(1.0);
        check(0x1.0p-53);
        check(0.0);
    }

    /**
     * Thousands of ulps either side of each threshold: pi/4, 3pi/4, n pi/2, 0.3, 0.78125, 2^-27, log's 2^-20 around 1,
     * and 2^19 pi/2, where the medium reduction hands over to StrictMath.
     */
    @Test
    void matchesStrictMathNearEveryBranchPoint() {
        double[] points = {
            Math.PI / 4,
            3 * Math.PI / 4,
            0.3,
            0.78125,
            0x1.0p-27,
            1.0,
            Math.sqrt(2),
            Math.sqrt(0.5),
            0x1.0p19 * Math.PI / 2
        };
        for (double p : points) {
            aroundPoint(p);
        }
        for (int n = 1; n <= 40; n++) {
            aroundPoint(n * Math.PI / 2);
        }
    }

    private void aroundPoint(double p) {
        for (double x : new double[] {p, -p}) {
            double lo = x;
            double hi = x;
            for (int k = 0; k < 4000; k++) {
                check(lo);
                check(hi);
                lo = Math.nextDown(lo);
                hi = Math.nextUp(hi);
            }
        }
    }

    @Test
    void matchesStrictMathOverWideRangesAndSpecialValues() {
        SplittableRandom r = new SplittableRandom(11);
        for (int i = 0; i < 500_000; i++) {
            check(r.nextDouble(-1e6, 1e6));
            check(Math.scalb(r.nextDouble(0.5, 1), r.nextInt(-1074, 1024)));
        }
        for (double x : new double[] {
            Double.MIN_VALUE,
            Double.MIN_NORMAL,
            Double.MAX_VALUE,
            Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY,
            Double.NaN,
            -0.0,
            -1.0
        }) {
            check(x);
            assertEquals(
                    Double.doubleToRawLongBits(StrictMath.log(x)), Double.doubleToRawLongBits(FdlibmKernels.log(x)));
        }
    }
}
