package io.campanile.trainer.step;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The Vector API form of every channel loop computes what the scalar form does. */
class ChannelOpsTest {
    static final int ROWS = 49;
    static final int C = 32;
    final SplittableRandom r = new SplittableRandom(5);
    final ChannelOps scalar = ChannelOps.scalar();
    final ChannelOps vector = ChannelOps.vector();

    float[] random(int n, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (r.nextGaussian() * scale);
        }
        return a;
    }

    static void close(float[] expected, float[] got, String what) {
        float worst = 0;
        for (float e : expected) {
            worst = Math.max(worst, Math.abs(e));
        }
        assertArrayEquals(expected, got, 2e-6f * Math.max(1, worst), what);
    }

    @Test
    void vectorAndScalarFormsAgree() {
        assertNotNull(vector, "the tests run with --add-modules jdk.incubator.vector");
        float[] x = random(ROWS * C, 3);
        float[] g = random(ROWS * C, 1);
        float[] scale = random(C, 1);
        float[] shift = random(C, 1);
        float[] hScale = random(C, 1);
        float[] hShift = random(C, 1);
        float[] k = random(C, 1);
        float[] meanG = random(C, 1);
        float[] meanGx = random(C, 1);

        float[][] sums = {new float[C], new float[C]};
        scalar.sums(x, ROWS, C, sums[0]);
        vector.sums(x, ROWS, C, sums[1]);
        close(sums[0], sums[1], "sums");

        float[][] centred = {new float[C], new float[C], new float[C], new float[C]};
        scalar.centredSums(x, ROWS, C, scale, centred[0], centred[1]);
        vector.centredSums(x, ROWS, C, scale, centred[2], centred[3]);
        close(centred[0], centred[2], "centred sums");
        close(centred[1], centred[3], "centred sums of squares");

        float[] a = x.clone();
        float[] b = x.clone();
        scalar.affineGelu(a, ROWS, C, scale, shift);
        vector.affineGelu(b, ROWS, C, scale, shift);
        close(a, b, "affineGelu");

        a = x.clone();
        b = x.clone();
        float[] perImage = random(3 * C, 1);
        float[] perImageShift = random(3 * C, 1);
        scalar.affine(a, ROWS, C, perImage, perImageShift, C);
        vector.affine(b, ROWS, C, perImage, perImageShift, C);
        close(a, b, "affine");

        float[] ga = g.clone();
        float[] gb = g.clone();
        float[][] acc = {new float[C], new float[C], new float[C], new float[C]};
        scalar.geluBackward(x, ga, ROWS, C, scale, shift, hScale, hShift, acc[0], acc[1]);
        vector.geluBackward(x, gb, ROWS, C, scale, shift, hScale, hShift, acc[2], acc[3]);
        close(ga, gb, "geluBackward gradient");
        close(acc[0], acc[2], "geluBackward sum");
        close(acc[1], acc[3], "geluBackward sum with xhat");

        ga = g.clone();
        gb = g.clone();
        scalar.batchNormInputGradient(x, ga, ROWS, C, hScale, hShift, k, meanG, meanGx);
        vector.batchNormInputGradient(x, gb, ROWS, C, hScale, hShift, k, meanG, meanGx);
        close(ga, gb, "batchNormInputGradient");

        ga = g.clone();
        gb = g.clone();
        float[][] d = {new float[3 * C], new float[3 * C], new float[3 * C], new float[3 * C]};
        scalar.affineBackward(x, ga, ROWS, C, perImage, 2 * C, d[0], d[1]);
        vector.affineBackward(x, gb, ROWS, C, perImage, 2 * C, d[2], d[3]);
        close(ga, gb, "affineBackward gradient");
        close(d[0], d[2], "affineBackward dScale");
        close(d[1], d[3], "affineBackward dShift");
    }
}
