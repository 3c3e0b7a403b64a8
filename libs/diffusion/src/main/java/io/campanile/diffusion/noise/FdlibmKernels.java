package io.campanile.diffusion.noise;

/**
 * {@link StrictMath#log} and {@link StrictMath#sin}/{@link StrictMath#cos} in Java, bit for bit: the algorithms of
 * fdlibm 5.3 ({@code e_log.c}, {@code e_rem_pio2.c}'s small and medium ranges, {@code k_sin.c}, {@code k_cos.c}),
 * which the JDK's {@code StrictMath} is specified to return. Java's floating point is strict (JEP 306), so the same
 * operations in the same order give the same bits, with no JNI call per value; the sine and cosine of one angle share
 * their argument reduction. Arguments outside the ranges ported here go to {@code StrictMath} itself.
 *
 * <p>The algorithms and constants are Sun Microsystems' fdlibm: "Copyright (C) 1993 by Sun Microsystems, Inc. All
 * rights reserved. Developed at SunSoft, a Sun Microsystems, Inc. business. Permission to use, copy, modify, and
 * distribute this software is freely granted, provided that this notice is preserved."
 */
final class FdlibmKernels {

    private static final double LN2_HI = 6.93147180369123816490e-01;
    private static final double LN2_LO = 1.90821492927058770002e-10;
    private static final double LG1 = 6.666666666666735130e-01;
    private static final double LG2 = 3.999999999940941908e-01;
    private static final double LG3 = 2.857142874366239149e-01;
    private static final double LG4 = 2.222219843214978396e-01;
    private static final double LG5 = 1.818357216161805012e-01;
    private static final double LG6 = 1.531383769920937332e-01;
    private static final double LG7 = 1.479819860511658591e-01;

    private static final double INV_PIO2 = 6.36619772367581382433e-01;
    private static final double PIO2_1 = 1.57079632673412561417e+00;
    private static final double PIO2_1T = 6.07710050650619224932e-11;
    private static final double PIO2_2 = 6.07710050630396597660e-11;
    private static final double PIO2_2T = 2.02226624879595063154e-21;
    private static final double PIO2_3 = 2.02226624871116645580e-21;
    private static final double PIO2_3T = 8.47842766036889956997e-32;
    /** High words of n * pi/2, n = 1..32: near them the medium reduction checks for cancellation. */
    private static final int[] NPIO2_HW = {
        0x3FF921FB, 0x400921FB, 0x4012D97C, 0x401921FB, 0x401F6A7A, 0x4022D97C, 0x4025FDBB, 0x402921FB,
        0x402C463A, 0x402F6A7A, 0x4031475C, 0x4032D97C, 0x40346B9C, 0x4035FDBB, 0x40378FDB, 0x403921FB,
        0x403AB41B, 0x403C463A, 0x403DD85A, 0x403F6A7A, 0x40407E4C, 0x4041475C, 0x4042106C, 0x4042D97C,
        0x4043A28C, 0x40446B9C, 0x404534AC, 0x4045FDBB, 0x4046C6CB, 0x40478FDB, 0x404858EB, 0x404921FB
    };

    private static final double S1 = -1.66666666666666324348e-01;
    private static final double S2 = 8.33333333332248946124e-03;
    private static final double S3 = -1.98412698298579493134e-04;
    private static final double S4 = 2.75573137070700676789e-06;
    private static final double S5 = -2.50507602534068634195e-08;
    private static final double S6 = 1.58969099521155010221e-10;
    private static final double C1 = 4.16666666666666019037e-02;
    private static final double C2 = -1.38888888888741095749e-03;
    private static final double C3 = 2.48015872894767294178e-05;
    private static final double C4 = -2.75573143513906633035e-07;
    private static final double C5 = 2.08757232129817482790e-09;
    private static final double C6 = -1.13596475577881948265e-11;

    private FdlibmKernels() {}

    /** {@code StrictMath.log(x)}. */
    static double log(double x) {
        int hx = hi(x);
        if (hx < 0x00100000 || hx >= 0x7ff00000) {
            return StrictMath.log(x); // zero, negative, subnormal, infinite or NaN
        }
        int k = (hx >> 20) - 1023;
        hx &= 0x000fffff;
        int i = (hx + 0x95f64) & 0x100000;
        x = withHi(x, hx | (i ^ 0x3ff00000)); // x or x/2 in [sqrt(2)/2, sqrt(2)]
        k += i >> 20;
        double f = x - 1.0;
        double dk = k;
        if ((0x000fffff & (2 + hx)) < 3) { // |f| < 2^-20
            if (f == 0.0) {
                return k == 0 ? 0.0 : dk * LN2_HI + dk * LN2_LO;
            }
            double r = f * f * (0.5 - 0.33333333333333333 * f);
            return k == 0 ? f - r : dk * LN2_HI - ((r - dk * LN2_LO) - f);
        }
        double s = f / (2.0 + f);
        double z = s * s;
        int j = 0x6b851 - hx;
        i = hx - 0x6147a;
        double w = z * z;
        double t1 = w * (LG2 + w * (LG4 + w * LG6));
        double t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
        i |= j;
        double r = t2 + t1;
        if (i > 0) {
            double hfsq = 0.5 * f * f;
            return k == 0 ? f - (hfsq - s * (hfsq + r)) : dk * LN2_HI - ((hfsq - (s * (hfsq + r) + dk * LN2_LO)) - f);
        }
        return k == 0 ? f - s * (f - r) : dk * LN2_HI - ((s * (f - r) - dk * LN2_LO) - f);
    }

    /** Writes {@code StrictMath.cos(x)} to {@code out[0]} and {@code StrictMath.sin(x)} to {@code out[1]}. */
    static void cosSin(double x, double[] out) {
        int hx = hi(x);
        int ix = hx & 0x7fffffff;
        if (ix <= 0x3fe921fb) { // |x| <= pi/4: no reduction
            out[0] = kernelCos(x, 0.0);
            out[1] = kernelSin(x, 0.0, false);
            return;
        }
        if (ix > 0x413921fb) { // beyond 2^19 * pi/2, or not finite
            out[0] = StrictMath.cos(x);
            out[1] = StrictMath.sin(x);
            return;
        }
        double y0;
        double y1;
        int n;
        if (ix < 0x4002d97c) { // |x| < 3pi/4: n = +-1
            double z = hx > 0 ? x - PIO2_1 : x + PIO2_1;
            double tail = PIO2_1T;
            if (ix == 0x3ff921fb) { // near pi/2: 33 + 33 + 53 bits of pi/2
                z = hx > 0 ? z - PIO2_2 : z + PIO2_2;
                tail = PIO2_2T;
            }
            y0 = hx > 0 ? z - tail : z + tail;
            y1 = hx > 0 ? (z - y0) - tail : (z - y0) + tail;
            n = hx > 0 ? 1 : -1;
        } else {
            double t = Math.abs(x);
            n = (int) (t * INV_PIO2 + 0.5);
            double fn = n;
            double r = t - fn * PIO2_1;
            double w = fn * PIO2_1T;
            y0 = r - w;
            if (n >= 32 || ix == NPIO2_HW[n - 1]) {
                int j = ix >> 20;
                if (j - ((hi(y0) >> 20) & 0x7ff) > 16) { // second iteration, good to 118 bits
                    t = r;
                    w = fn * PIO2_2;
                    r = t - w;
                    w = fn * PIO2_2T - ((t - r) - w);
                    y0 = r - w;
                    if (j - ((hi(y0) >> 20) & 0x7ff) > 49) { // third iteration, 151 bits
                        t = r;
                        w = fn * PIO2_3;
                        r = t - w;
                        w = fn * PIO2_3T - ((t - r) - w);
                        y0 = r - w;
                    }
                }
            }
            y1 = (r - y0) - w;
            if (hx < 0) {
                y0 = -y0;
                y1 = -y1;
                n = -n;
            }
        }
        double c = kernelCos(y0, y1);
        double s = kernelSin(y0, y1, true);
        switch (n & 3) {
            case 0 -> {
                out[0] = c;
                out[1] = s;
            }
            case 1 -> {
                out[0] = -s;
                out[1] = c;
            }
            case 2 -> {
                out[0] = -c;
                out[1] = -s;
            }
            default -> {
                out[0] = s;
                out[1] = -c;
            }
        }
    }

    /** fdlibm's {@code __kernel_sin(x, y, iy)} on [-pi/4, pi/4], {@code y} the tail of {@code x}. */
    private static double kernelSin(double x, double y, boolean hasTail) {
        int ix = hi(x) & 0x7fffffff;
        if (ix < 0x3e400000 && (int) x == 0) { // |x| < 2^-27
            return x;
        }
        double z = x * x;
        double v = z * x;
        double r = S2 + z * (S3 + z * (S4 + z * (S5 + z * S6)));
        return hasTail ? x - ((z * (0.5 * y - v * r) - y) - v * S1) : x + v * (S1 + z * r);
    }

    /** fdlibm's {@code __kernel_cos(x, y)} on [-pi/4, pi/4]. */
    private static double kernelCos(double x, double y) {
        int ix = hi(x) & 0x7fffffff;
        if (ix < 0x3e400000 && (int) x == 0) { // |x| < 2^-27
            return 1.0;
        }
        double z = x * x;
        double r = z * (C1 + z * (C2 + z * (C3 + z * (C4 + z * (C5 + z * C6)))));
        if (ix < 0x3FD33333) { // |x| < 0.3
            return 1.0 - (0.5 * z - (z * r - x * y));
        }
        double qx = ix > 0x3fe90000 ? 0.28125 : Double.longBitsToDouble(((long) (ix - 0x00200000)) << 32);
        double hz = 0.5 * z - qx;
        double a = 1.0 - qx;
        return a - (hz - (z * r - x * y));
    }

    private static int hi(double x) {
        return (int) (Double.doubleToRawLongBits(x) >>> 32);
    }

    private static double withHi(double x, int high) {
        return Double.longBitsToDouble(((long) high << 32) | (Double.doubleToRawLongBits(x) & 0xffffffffL));
    }
}
