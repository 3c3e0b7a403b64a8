package io.campanile.testpacks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.campanile.diffusion.tensor.Tensor;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The reference functions against values worked out by hand from the formulas in the task. */
class TestFunctionsTest {
    private static final float EPS = 1e-6f;

    @Test
    void stage1EpsilonAndVariance() {
        Tensor x = filled(new int[] {2, 3, 4, 4}, 0.2f);
        Tensor ehs = Tensor.zeros(2, 77, 4096);
        for (int i = 0; i < 77; i++) {
            ehs.data()[(77 + i) * 4096 + 1] = i % 2 == 0 ? 1f : 0f; // batch 1, channel 1: 39 ones of 77
            ehs.data()[i * 4096 + 3] = 5f; // channel 3 is not used
        }
        Tensor out = TestFunctions.stage1(x, new long[] {100, 0}, ehs);
        assertArrayEquals(new int[] {2, 6, 4, 4}, out.shape());
        assertEquals(0.1f + 0.1f, at(out, 0, 0, 2, 3), EPS);
        assertEquals(0.1f + 39f / 77 * (1 + TestFunctions.pattern(0, 0, 4)), at(out, 1, 1, 0, 0), EPS);
        assertEquals(0.1f + 39f / 77 * (1 + TestFunctions.pattern(3, 1, 4)), at(out, 1, 1, 3, 1), EPS);
        assertEquals(0.1f, at(out, 1, 2, 0, 0), EPS);
        assertEquals(0.5 * Math.tanh(0.2), at(out, 0, 4, 1, 1), EPS);
    }

    @Test
    void stage2MixesTheUpscaledImageAndTheNoiseLevel() {
        Tensor x = Tensor.zeros(1, 6, 2, 2);
        Arrays.fill(x.data(), 0, 12, 0.4f); // x_t
        Arrays.fill(x.data(), 12, 24, -1f); // u
        Tensor ehs = filled(new int[] {1, 77, 4096}, 0.3f);
        Tensor out = TestFunctions.stage2(x, new long[] {500}, ehs, new long[] {250});
        assertEquals(
                0.2f - 0.25f + 0.3f + 0.5f + 0.025f + 0.3f * TestFunctions.pattern(1, 1, 2), at(out, 0, 2, 1, 1), 1e-5);
        assertEquals(0.5 * Math.tanh(0.4), at(out, 0, 5, 0, 1), EPS);
    }

    @Test
    void thePatternHasNoSymmetryAViewCouldHide() {
        float p = TestFunctions.pattern(5, 9, 64);
        assertEquals(Math.sin(1.6) * Math.cos(2.09) + 23.0 / 64, p, 1e-6);
        assertTrue(Math.abs(p - TestFunctions.pattern(58, 9, 64)) > 0.1, "flip");
        assertTrue(Math.abs(p - TestFunctions.pattern(9, 5, 64)) > 0.1, "transpose");
        assertTrue(Math.abs(p - TestFunctions.pattern(5, 54, 64)) > 0.1, "mirror");
    }

    @Test
    void mnistClassWeightsEachClass() {
        Tensor x = filled(new int[] {2, 1, 28, 28}, 1f);
        Tensor cv = Tensor.zeros(2, 10);
        cv.data()[7] = 1f; // sample 0: class 7; sample 1: unconditional (zeros)
        Tensor out = TestFunctions.mnistClass(x, new long[] {10, 299}, cv);
        assertEquals(0.5f + 0.8f + 0.01f, at(out, 0, 0, 5, 5), EPS);
        assertEquals(0.5f + 0.299f, at(out, 1, 0, 27, 27), EPS);
    }

    @Test
    void unconditionalAddsOnlyTheTimestep() {
        Tensor out = TestFunctions.unconditional(filled(new int[] {1, 3, 32, 32}, -0.5f), new long[] {999});
        assertEquals(-0.25f + 0.999f, at(out, 0, 2, 31, 0), EPS);
    }

    @Test
    void t5FollowsTheClosedFormWeightsAndTheMask() {
        assertEquals(Math.sin(0.001 * 6 * 3), TestFunctions.t5Embedding(5, 2), EPS);
        assertEquals(Math.cos(0.01 * 2 * 4000) / 2, TestFunctions.t5Projection(1, 3999), EPS);
        long[][] ids = {new long[77]};
        long[][] mask = {new long[77]};
        ids[0][0] = 32127;
        mask[0][0] = 1;
        ids[0][1] = 5; // masked out
        Tensor out = TestFunctions.t5(ids, mask);
        assertArrayEquals(new int[] {1, 77, 4096}, out.shape());
        double dot = 0;
        for (int j = 0; j < 8; j++) {
            dot += Math.sin(0.001 * 32128 * (j + 1)) * Math.cos(0.01 * (j + 1) * 11) / 2;
        }
        assertEquals(Math.tanh(dot), out.data()[10], 1e-5);
        assertEquals(0f, out.data()[4096 + 10]);
    }

    @Test
    void batchMismatchNamesTheInput() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> TestFunctions.unconditional(Tensor.zeros(2, 3, 32, 32), new long[] {1}));
        assertEquals("timestep: batch 1, the sample's batch is 2", e.getMessage());
    }

    static Tensor filled(int[] shape, float value) {
        Tensor t = Tensor.zeros(shape);
        Arrays.fill(t.data(), value);
        return t;
    }

    static float at(Tensor t, int b, int c, int y, int x) {
        return t.data()[((b * t.dim(1) + c) * t.dim(2) + y) * t.dim(3) + x];
    }
}
