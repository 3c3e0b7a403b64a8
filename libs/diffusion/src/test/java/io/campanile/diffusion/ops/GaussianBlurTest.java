package io.campanile.diffusion.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.campanile.diffusion.noise.SeededNoise;
import io.campanile.diffusion.tensor.Tensor;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class GaussianBlurTest {

    @Test
    void kernelSumsToOneAndMatchesClosedFormForK5Sigma2() {
        float[] k = GaussianBlur.kernel1d(5, 2.0);
        double sum = 0;
        for (float v : k) {
            sum += v;
        }
        assertEquals(1.0, sum, 1e-6);
        double norm = 1 + 2 * Math.exp(-0.125) + 2 * Math.exp(-0.5);
        double[] closedForm = {
            Math.exp(-0.5) / norm, Math.exp(-0.125) / norm, 1 / norm, Math.exp(-0.125) / norm, Math.exp(-0.5) / norm
        };
        for (int i = 0; i < 5; i++) {
            assertEquals(closedForm[i], k[i], 1e-7);
        }
        // torchvision: tensor([0.1525, 0.2218, 0.2514, 0.2218, 0.1525])
        assertArrayEquals(new float[] {0.1525f, 0.2218f, 0.2514f, 0.2218f, 0.1525f}, k, 1e-4f);
    }

    @Test
    void kernelOfSizeOneIsIdentity() {
        assertArrayEquals(new float[] {1f}, GaussianBlur.kernel1d(1, 3.0));
    }

    @Test
    void rejectsBadKernelSizeAndSigmaByName() {
        IllegalArgumentException even =
                assertThrows(IllegalArgumentException.class, () -> GaussianBlur.kernel1d(4, 1.0));
        assertTrue(even.getMessage().startsWith("kernel_size"), even.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GaussianBlur.blur(Tensor.zeros(1, 8, 8), 0, 1.0));
        assertThrows(IllegalArgumentException.class, () -> GaussianBlur.blur(Tensor.zeros(1, 8, 8), -3, 1.0));
        IllegalArgumentException sigma =
                assertThrows(IllegalArgumentException.class, () -> GaussianBlur.blur(Tensor.zeros(1, 8, 8), 5, 0.0));
        assertTrue(sigma.getMessage().startsWith("sigma"), sigma.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GaussianBlur.blur(Tensor.zeros(1, 8, 8), 5, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> GaussianBlur.blur(Tensor.zeros(8), 5, 1.0));
    }

    @Test
    void constantImageStaysConstant() {
        Tensor x = Tensor.zeros(2, 3, 10, 12);
        Arrays.fill(x.data(), 0.37f);
        Tensor y = GaussianBlur.blur(x, 33, 2.0);
        assertArrayEquals(x.shape(), y.shape());
        for (float v : y.data()) {
            assertEquals(0.37f, v, 1e-6f);
        }
    }

    @Test
    void deltaGivesOuterProductOfKernel() {
        int n = 11;
        Tensor x = Tensor.zeros(1, n, n);
        x.data()[5 * n + 5] = 1f;
        float[] k = GaussianBlur.kernel1d(5, 2.0);
        float[] y = GaussianBlur.blur(x, 5, 2.0).data();
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < n; c++) {
                float expected = Math.abs(r - 5) <= 2 && Math.abs(c - 5) <= 2 ? k[r - 3] * k[c - 3] : 0f;
                assertEquals(expected, y[r * n + c], 1e-7f, "at " + r + "," + c);
            }
        }
    }

    @Test
    void separableBlurEqualsDirect2dConvolutionWithReflectPadding() {
        int h = 9;
        int w = 7;
        Tensor x = SeededNoise.gaussian(1L, 0, 2, h, w);
        float[] k = GaussianBlur.kernel1d(5, 1.3);
        float[] y = GaussianBlur.blur(x, 5, 1.3).data();
        for (int c = 0; c < 2; c++) {
            for (int r = 0; r < h; r++) {
                for (int col = 0; col < w; col++) {
                    double expected = 0;
                    for (int i = -2; i <= 2; i++) {
                        for (int j = -2; j <= 2; j++) {
                            int rr = mirror(r + i, h);
                            int cc = mirror(col + j, w);
                            expected += k[i + 2] * k[j + 2] * x.data()[c * h * w + rr * w + cc];
                        }
                    }
                    assertEquals(expected, y[c * h * w + r * w + col], 1e-5, "at " + c + "," + r + "," + col);
                }
            }
        }
    }

    @Test
    void reflectDoesNotRepeatTheEdge() {
        assertEquals(1, GaussianBlur.reflect(-1, 5));
        assertEquals(2, GaussianBlur.reflect(-2, 5));
        assertEquals(3, GaussianBlur.reflect(5, 5));
        assertEquals(2, GaussianBlur.reflect(6, 5));
        assertEquals(0, GaussianBlur.reflect(3, 1));
    }

    /** numpy "reflect" for pads smaller than the dimension, written out plainly. */
    private static int mirror(int i, int n) {
        if (i < 0) {
            return -i;
        }
        return i >= n ? 2 * (n - 1) - i : i;
    }
}
