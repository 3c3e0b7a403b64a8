package io.campanile.trainer.service;

import io.campanile.diffusion.tensor.Tensor;
import java.util.Arrays;

/** Tiles 28 x 28 digits into one [1, H, W] image, row-major, with a 2-pixel white gap. */
public final class Grid {
    static final int S = 28;
    static final int GAP = 2;

    private Grid() {}

    /** @param images n digits [n, 1, 28, 28] flattened; values clamped to [0, 1] */
    public static Tensor of(float[] images, int rows, int cols) {
        int h = rows * S + (rows + 1) * GAP;
        int w = cols * S + (cols + 1) * GAP;
        float[] px = new float[h * w];
        Arrays.fill(px, 1f);
        int n = images.length / (S * S);
        for (int k = 0; k < Math.min(n, rows * cols); k++) {
            int r0 = GAP + (k / cols) * (S + GAP);
            int c0 = GAP + (k % cols) * (S + GAP);
            for (int y = 0; y < S; y++) {
                for (int x = 0; x < S; x++) {
                    float v = images[k * S * S + y * S + x];
                    px[(r0 + y) * w + c0 + x] = Math.max(0f, Math.min(1f, v));
                }
            }
        }
        return new Tensor(new int[] {1, h, w}, px);
    }
}
