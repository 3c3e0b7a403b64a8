package io.campanile.diffusion.image;

/**
 * Separable resampling of a float plane: area averaging (box filter over the exact source footprint) when shrinking
 * an axis, bilinear interpolation with half-pixel centres (PyTorch {@code align_corners=False}) when enlarging it.
 * Only a window of the resized axis is computed, which gives resize-then-crop in one pass.
 */
final class Resampler {

    /**
     * Per output index {@code i}: the first source index {@code first[i]} and weights {@code weights[i][j]} for
     * source indices {@code first[i] + j}; each row of weights sums to 1.
     */
    record Axis(int[] first, float[][] weights) {
        int length() {
            return first.length;
        }
    }

    private Resampler() {}

    /**
     * Weights for resizing an axis of {@code src} pixels to {@code dst} pixels, keeping output indices {@code [offset,
     * offset + count)}.
     */
    static Axis axis(int src, int dst, int offset, int count) {
        int[] first = new int[count];
        float[][] weights = new float[count][];
        for (int i = 0; i < count; i++) {
            int o = offset + i;
            first[i] = dst < src ? areaFirst(src, dst, o) : bilinearFirst(src, dst, o);
            weights[i] = dst < src ? areaWeights(src, dst, o) : bilinearWeights(src, dst, o);
        }
        return new Axis(first, weights);
    }

    /** Output pixel {@code o} covers the source interval {@code [o s, (o + 1) s)}, {@code s = src / dst}. */
    private static int areaFirst(int src, int dst, int o) {
        return (int) Math.floor(o * ((double) src / dst));
    }

    /** Each source pixel weighs its overlap with the output pixel's interval, divided by the interval's length. */
    private static float[] areaWeights(int src, int dst, int o) {
        double scale = (double) src / dst;
        double lo = o * scale;
        double hi = Math.min((o + 1) * scale, src);
        int start = areaFirst(src, dst, o);
        int end = Math.min((int) Math.ceil(hi), src);
        float[] w = new float[end - start];
        for (int j = start; j < end; j++) {
            double overlap = Math.min(hi, j + 1) - Math.max(lo, j);
            w[j - start] = (float) (overlap / (hi - lo));
        }
        return w;
    }

    /** Source coordinate {@code x = (o + 0.5) src / dst - 0.5}, clamped to {@code [0, src - 1]}. */
    private static double bilinearX(int src, int dst, int o) {
        double x = (o + 0.5) * src / dst - 0.5;
        return Math.max(0, Math.min(x, src - 1));
    }

    private static int bilinearFirst(int src, int dst, int o) {
        return (int) Math.floor(bilinearX(src, dst, o));
    }

    /** Splits the source coordinate between its two neighbouring pixels (one at the right edge or on a pixel). */
    private static float[] bilinearWeights(int src, int dst, int o) {
        double x = bilinearX(src, dst, o);
        int j0 = (int) Math.floor(x);
        float frac = (float) (x - j0);
        return j0 + 1 >= src || frac == 0f ? new float[] {1f} : new float[] {1f - frac, frac};
    }

    /** Resizes a {@code srcH x srcW} plane to {@code yAxis.length() x xAxis.length()}, rows first. */
    static float[] resize(float[] plane, int srcW, int srcH, Axis xAxis, Axis yAxis) {
        int outW = xAxis.length();
        int outH = yAxis.length();
        float[] rows = new float[srcH * outW];
        for (int y = 0; y < srcH; y++) {
            for (int x = 0; x < outW; x++) {
                rows[y * outW + x] = dot(plane, y * srcW + xAxis.first()[x], 1, xAxis.weights()[x]);
            }
        }
        float[] out = new float[outH * outW];
        for (int y = 0; y < outH; y++) {
            for (int x = 0; x < outW; x++) {
                out[y * outW + x] = dot(rows, yAxis.first()[y] * outW + x, outW, yAxis.weights()[y]);
            }
        }
        return out;
    }

    private static float dot(float[] values, int start, int stride, float[] weights) {
        double acc = 0;
        for (int j = 0; j < weights.length; j++) {
            acc += weights[j] * values[start + j * stride];
        }
        return (float) acc;
    }
}
