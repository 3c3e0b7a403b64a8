package io.campanile.diffusion.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.campanile.diffusion.schedule.NoiseSchedule;
import io.campanile.diffusion.tensor.Tensor;
import org.junit.jupiter.api.Test;

class ForwardProcessTest {

    private static final NoiseSchedule IF = NoiseSchedule.ifDefault();

    @Test
    void matchesHandComputationAtT500() {
        Tensor x0 = new Tensor(new int[] {1, 2, 2}, new float[] {1f, -1f, 0.5f, 0f});
        Tensor eps = new Tensor(new int[] {1, 2, 2}, new float[] {0f, 1f, -2f, 0.25f});
        Tensor xt = ForwardProcess.noise(x0, eps, IF, 500);
        // alpha_bar_500 = 0.49228516 (float32): sqrt = 0.7016304, sqrt(1 - alpha_bar) = 0.7125411
        double a = Math.sqrt(0.49228516);
        double b = Math.sqrt(1 - 0.49228516);
        float[] expected = {(float) a, (float) (-a + b), (float) (0.5 * a - 2 * b), (float) (0.25 * b)};
        assertArrayEquals(expected, xt.data(), 1e-6f);
        assertArrayEquals(new int[] {1, 2, 2}, xt.shape());
        assertEquals(1f, x0.data()[0]);
    }

    @Test
    void atT0ItIsAlmostClean() {
        Tensor x0 = new Tensor(new int[] {2}, new float[] {0.3f, -0.7f});
        Tensor eps = new Tensor(new int[] {2}, new float[] {1f, 1f});
        float[] xt = ForwardProcess.noise(x0, eps, IF, 0).data();
        assertEquals(0.3f + 0.00642f, xt[0], 1e-4f);
        assertEquals(-0.7f + 0.00642f, xt[1], 1e-4f);
    }

    @Test
    void rejectsMismatchedShapesAndBadTimestep() {
        Tensor x0 = Tensor.zeros(3, 4, 4);
        assertThrows(IllegalArgumentException.class, () -> ForwardProcess.noise(x0, Tensor.zeros(3, 4, 5), IF, 10));
        assertThrows(IllegalArgumentException.class, () -> ForwardProcess.noise(x0, Tensor.zeros(3, 4, 4), IF, 1000));
    }
}
