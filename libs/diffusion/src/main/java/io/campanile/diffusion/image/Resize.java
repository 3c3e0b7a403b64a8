package io.campanile.diffusion.image;

import io.campanile.diffusion.tensor.Tensor;

/** Tensor resizing as in PyTorch, for the image paths that must match the reference pipeline exactly. */
public final class Resize {

    private Resize() {}

    /**
     * Bilinear resize of the last two dimensions with {@code align_corners=True}, as {@code
     * torch.nn.functional.interpolate(x, size=(outH, outW), mode="bilinear", align_corners=True)}: output index
     * {@code o} samples the input at {@code s = o (in - 1) / (out - 1)} (0 when {@code out == 1}), between pixels
     * {@code floor(s)} and {@code min(floor(s) + 1, in - 1)}, weighted {@code 1 - frac(s)} and {@code frac(s)}. The
     * corner pixels are kept exactly. DeepFloyd IF's stage II upscales the 64 px image to 256 px this way.
     *
     * @param x {@code [C, H, W]} or {@code [B, C, H, W]}, {@code H, W >= 1}
     * @param outH output height, positive
     * @param outW output width, positive
     * @return a new tensor {@code [C, outH, outW]} or {@code [B, C, outH, outW]}
     * @throws IllegalArgumentException for another rank, an empty input plane or a non-positive size
     */
    public static Tensor bilinearAlignCorners(Tensor x, int outH, int outW) {
        if (x.rank() != 3 && x.rank() != 4) {
            throw new IllegalArgumentException("resize: expected [C, H, W] or [B, C, H, W] but got " + x.shapeString());
        }
        if (outH < 1 || outW < 1) {
            throw new IllegalArgumentException("resize: output size must be positive, got " + outH + " x " + outW);
        }
        int h = x.dim(-2);
        int w = x.dim(-1);
        if (h < 1 || w < 1) {
            throw new IllegalArgumentException("resize: empty input plane " + x.shapeString());
        }
        Axis ys = Axis.of(h, outH);
        Axis xs = Axis.of(w, outW);
        int[] shape = x.shape();
        shape[shape.length - 2] = outH;
        shape[shape.length - 1] = outW;
        Tensor out = Tensor.zeros(shape);
        int planes = x.size() / (h * w);
        for (int p = 0; p < planes; p++) {
            resizePlane(x.data(), p * h * w, w, ys, xs, out.data(), p * outH * outW);
        }
        return out;
    }

    private static void resizePlane(float[] in, int inOff, int w, Axis ys, Axis xs, float[] out, int outOff) {
        int outW = xs.lo().length;
        for (int oy = 0; oy < ys.lo().length; oy++) {
            int row0 = inOff + ys.lo()[oy] * w;
            int row1 = inOff + ys.hi()[oy] * w;
            float wy = ys.frac()[oy];
            for (int ox = 0; ox < outW; ox++) {
                int x0 = xs.lo()[ox];
                int x1 = xs.hi()[ox];
                float wx = xs.frac()[ox];
                float top = (1 - wx) * in[row0 + x0] + wx * in[row0 + x1];
                float bottom = (1 - wx) * in[row1 + x0] + wx * in[row1 + x1];
                out[outOff + oy * outW + ox] = (1 - wy) * top + wy * bottom;
            }
        }
    }

    /** Per output index: the two source indices and the weight of the second. */
    private record Axis(int[] lo, int[] hi, float[] frac) {

        static Axis of(int in, int out) {
            double scale = out > 1 ? (double) (in - 1) / (out - 1) : 0;
            int[] lo = new int[out];
            int[] hi = new int[out];
            float[] frac = new float[out];
            for (int o = 0; o < out; o++) {
                double s = o * scale;
                lo[o] = Math.min((int) Math.floor(s), in - 1);
                hi[o] = Math.min(lo[o] + 1, in - 1);
                frac[o] = (float) (s - lo[o]);
            }
            return new Axis(lo, hi, frac);
        }
    }
}
