package io.campanile.diffusion.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.campanile.diffusion.noise.SeededNoise;
import io.campanile.diffusion.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResizeTest {

    @Test
    void twoByTwoToThreeByThreeByHand() {
        // [[a, b], [c, d]] with align_corners: corners kept, edge midpoints averaged, centre = mean of four.
        Tensor in = new Tensor(new int[] {1, 2, 2}, new float[] {1, 2, 3, 5});
        Tensor out = Resize.bilinearAlignCorners(in, 3, 3);
        assertArrayEquals(new int[] {1, 3, 3}, out.shape());
        assertArrayEquals(new float[] {1, 1.5f, 2, 2, 2.75f, 3.5f, 3, 4, 5}, out.data(), 1e-6f);
    }

    @Test
    void fourByFourToSevenBySevenHitsPixelsAndMidpoints() {
        // scale = 3 / 6 = 1/2: even outputs land on input pixels, odd ones halfway between two.
        Tensor in = SeededNoise.gaussian(3, "r", 0, 2, 4, 4);
        Tensor out = Resize.bilinearAlignCorners(in, 7, 7);
        float[] v = in.data();
        for (int c = 0; c < 2; c++) {
            for (int oy = 0; oy < 7; oy++) {
                for (int ox = 0; ox < 7; ox++) {
                    int y0 = oy / 2;
                    int y1 = (oy + 1) / 2;
                    int x0 = ox / 2;
                    int x1 = (ox + 1) / 2;
                    double expected = (v[c * 16 + y0 * 4 + x0]
                                    + v[c * 16 + y0 * 4 + x1]
                                    + v[c * 16 + y1 * 4 + x0]
                                    + v[c * 16 + y1 * 4 + x1])
                            / 4.0;
                    assertEquals(expected, out.data()[c * 49 + oy * 7 + ox], 1e-6, "at " + c + "," + oy + "," + ox);
                }
            }
        }
    }

    /** Bilinear interpolation reproduces f(y, x) = 1 + 2y - 3x + 0.5xy exactly, up- and downsampling. */
    @ParameterizedTest
    @CsvSource({"5, 7, 9, 4", "7, 5, 3, 4", "64, 64, 256, 256", "3, 3, 1, 1", "1, 4, 3, 2"})
    void reproducesBilinearFunctions(int h, int w, int outH, int outW) {
        Tensor in = Tensor.zeros(2, 1, h, w);
        for (int b = 0; b < 2; b++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    in.data()[b * h * w + y * w + x] = (float) f(y, x) + b;
                }
            }
        }
        Tensor out = Resize.bilinearAlignCorners(in, outH, outW);
        assertArrayEquals(new int[] {2, 1, outH, outW}, out.shape());
        for (int b = 0; b < 2; b++) {
            for (int oy = 0; oy < outH; oy++) {
                for (int ox = 0; ox < outW; ox++) {
                    double sy = outH > 1 ? oy * (h - 1.0) / (outH - 1) : 0;
                    double sx = outW > 1 ? ox * (w - 1.0) / (outW - 1) : 0;
                    double expected = f(sy, sx) + b;
                    assertEquals(
                            expected,
                            out.data()[b * outH * outW + oy * outW + ox],
                            1e-4 * Math.max(1, Math.abs(expected)));
                }
            }
        }
    }

    @Test
    void cornersArePreserved() {
        Tensor in = SeededNoise.gaussian(4, "c", 0, 3, 64, 64);
        Tensor out = Resize.bilinearAlignCorners(in, 256, 256);
        for (int c = 0; c < 3; c++) {
            assertEquals(in.data()[c * 4096], out.data()[c * 65536]);
            assertEquals(in.data()[c * 4096 + 63], out.data()[c * 65536 + 255]);
            assertEquals(in.data()[c * 4096 + 63 * 64], out.data()[c * 65536 + 255 * 256]);
            assertEquals(in.data()[c * 4096 + 4095], out.data()[c * 65536 + 65535]);
        }
    }

    @Test
    void rejectsBadShapes() {
        assertThrows(IllegalArgumentException.class, () -> Resize.bilinearAlignCorners(Tensor.zeros(4, 4), 8, 8));
        assertThrows(IllegalArgumentException.class, () -> Resize.bilinearAlignCorners(Tensor.zeros(1, 4, 4), 0, 8));
        assertThrows(IllegalArgumentException.class, () -> Resize.bilinearAlignCorners(Tensor.zeros(1, 0, 4), 2, 2));
    }

    private static double f(double y, double x) {
        return 1 + 2 * y - 3 * x + 0.5 * x * y;
    }
}
