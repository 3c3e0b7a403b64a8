package io.campanile.trainer.inference;

/**
 * IEEE 754 binary16 conversions (Java 17 has none): float to half rounds to nearest, ties to even, with overflow to
 * infinity, gradual underflow to subnormals, and NaN kept NaN.
 */
final class Half {
    private Half() {}

    /** The binary16 bits nearest to {@code f}. */
    static short fromFloat(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int exp = (bits >>> 23) & 0xff;
        int mant = bits & 0x7fffff;
        if (exp == 0xff) { // infinity or NaN (a NaN keeps a set mantissa bit)
            return (short) (sign | 0x7c00 | (mant != 0 ? 0x200 : 0));
        }
        int e = exp - 127 + 15; // the half's biased exponent
        if (e >= 0x1f) {
            return (short) (sign | 0x7c00);
        }
        if (e <= 0) { // a subnormal half, or zero
            if (e < -10) {
                return (short) sign;
            }
            int m = mant | 0x800000; // the implicit bit
            int shift = 14 - e; // 24-bit significand down to the subnormal's 10 bits
            return (short) (sign | roundShift(m, shift));
        }
        // normal: a mantissa that rounds up past 10 bits carries into the exponent, which is the right result
        return (short) (sign | ((e << 10) + roundShift(mant, 13)));
    }

    /** {@code v >> shift} rounded to nearest, ties to even. */
    private static int roundShift(int v, int shift) {
        int q = v >>> shift;
        int rem = v & ((1 << shift) - 1);
        int half = 1 << (shift - 1);
        if (rem > half || (rem == half && (q & 1) == 1)) {
            q++;
        }
        return q;
    }

    /** The float value of binary16 bits (exact). */
    static float toFloat(short h) {
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            float v = mant * 0x1p-24f;
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (mant << 13));
    }
}
