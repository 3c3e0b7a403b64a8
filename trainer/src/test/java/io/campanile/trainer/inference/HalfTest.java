package io.campanile.trainer.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** binary16 conversions against values worked out by hand, and round-to-nearest-even against a brute-force search. */
class HalfTest {
    @Test
    void knownValues() {
        assertEquals((short) 0x3c00, Half.fromFloat(1f));
        assertEquals((short) 0xc000, Half.fromFloat(-2f));
        assertEquals((short) 0x7bff, Half.fromFloat(65504f)); // the largest half
        assertEquals((short) 0x7c00, Half.fromFloat(65520f)); // rounds past it: infinity
        assertEquals((short) 0x0001, Half.fromFloat(0x1p-24f)); // the smallest subnormal
        assertEquals((short) 0x0000, Half.fromFloat(0x1p-26f)); // under half of it: zero
        assertEquals((short) 0x8000, Half.fromFloat(-0f));
        assertEquals((short) 0x0400, Half.fromFloat(0x1p-14f)); // the smallest normal
        assertEquals((short) 0x3c00, Half.fromFloat(1f + 0x1p-11f)); // a tie rounds to the even 1.0
        assertEquals((short) 0x3c02, Half.fromFloat(1f + 3 * 0x1p-11f)); // a tie rounds to the even 1 + 2^-9
        assertTrue(Float.isNaN(Half.toFloat(Half.fromFloat(Float.NaN))));
        assertEquals(Float.NEGATIVE_INFINITY, Half.toFloat(Half.fromFloat(Float.NEGATIVE_INFINITY)));
    }

    @Test
    void everyHalfSurvivesTheRoundTrip() {
        for (int h = 0; h < 0x10000; h++) {
            float f = Half.toFloat((short) h);
            if (!Float.isNaN(f)) {
                assertEquals((short) h, Half.fromFloat(f), "half 0x" + Integer.toHexString(h));
            }
        }
    }

    @Test
    void randomFloatsRoundToTheNearestHalf() {
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < 20_000; i++) {
            float f = (float) (r.nextGaussian() * Math.pow(2, r.nextInt(-20, 16)));
            if (Math.abs(f) >= 65520f) { // IEEE rounds these to infinity (checked in knownValues)
                continue;
            }
            float got = Half.toFloat(Half.fromFloat(f));
            // the neighbours of the answer are no nearer (brute force over the adjacent halves)
            short h = Half.fromFloat(f);
            for (int d = -1; d <= 1; d += 2) {
                float other = Half.toFloat((short) (h + d));
                if (!Float.isNaN(other) && !Float.isInfinite(other) && Math.signum(other) == Math.signum(got)) {
                    assertTrue(
                            Math.abs(other - f) >= Math.abs(got - f),
                            f + " rounded to " + got + " but " + other + " is nearer");
                }
            }
        }
    }
}
