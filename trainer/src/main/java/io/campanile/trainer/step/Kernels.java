package io.campanile.trainer.step;

import java.nio.FloatBuffer;
import java.util.stream.IntStream;

/**
 * Fused element-wise kernels of the course UNet's training step on NCHW float buffers: batch norm (batch statistics)
 * followed by GELU, forward and backward, the per-channel conditioning {@code h * c + t}, and the spatial mean with
 * GELU of the bottleneck. SameDiff ran each of these as a chain of broadcast ops, each a pass over memory; here a
 * forward is two passes and a backward two, parallel over channels. Every channel's image planes are contiguous, so
 * the inner loops run on one plane copied into a small array.
 */
public final class Kernels {
    private final PlaneOps ops;

    public Kernels(PlaneOps ops) {
        this.ops = ops;
    }

    public PlaneOps ops() {
        return ops;
    }

    /**
     * Batch norm with this batch's statistics, then GELU: y = GELU(gamma (x - mean) / sqrt(var + eps) + beta).
     *
     * @param mean out: per-channel batch mean
     * @param var out: per-channel biased batch variance
     * @param invStd out: 1 / sqrt(var + eps)
     */
    public void bnGeluForward(FloatBuffer x, FloatBuffer y, int batch, int channels, int hw, float[] gamma,
            float[] beta, double eps, float[] mean, float[] var, float[] invStd) {
        IntStream.range(0, channels).parallel().forEach(c -> {
            float[] plane = new float[hw];
            double[] acc = new double[2];
            for (int b = 0; b < batch; b++) {
                x.get((b * channels + c) * hw, plane, 0, hw);
                ops.sums(plane, hw, acc);
            }
            double n = (double) batch * hw;
            double m = acc[0] / n;
            double v = Math.max(0, acc[1] / n - m * m);
            mean[c] = (float) m;
            var[c] = (float) v;
            float is = (float) (1 / Math.sqrt(v + eps));
            invStd[c] = is;
            float scale = gamma[c] * is;
            float shift = beta[c] - (float) m * scale;
            for (int b = 0; b < batch; b++) {
                int at = (b * channels + c) * hw;
                x.get(at, plane, 0, hw);
                ops.geluAffine(plane, hw, scale, shift);
                y.put(at, plane, 0, hw);
            }
        });
    }

    /** Batch norm with given (running) statistics, then GELU: one pass. */
    public void affineGelu(FloatBuffer x, FloatBuffer y, int batch, int channels, int hw, float[] gamma,
            float[] beta, double eps, float[] mean, float[] var) {
        IntStream.range(0, channels).parallel().forEach(c -> {
            float[] plane = new float[hw];
            float scale = (float) (gamma[c] / Math.sqrt(var[c] + eps));
            float shift = beta[c] - mean[c] * scale;
            for (int b = 0; b < batch; b++) {
                int at = (b * channels + c) * hw;
                x.get(at, plane, 0, hw);
                ops.geluAffine(plane, hw, scale, shift);
                y.put(at, plane, 0, hw);
            }
        });
    }

    /**
     * Backward of {@link #bnGeluForward}: g holds dL/dy on entry and dL/dx on return.
     *
     * @param dGamma out: dL/dgamma per channel
     * @param dBeta out: dL/dbeta per channel
     */
    public void bnGeluBackward(FloatBuffer x, FloatBuffer g, int batch, int channels, int hw, float[] gamma,
            float[] beta, float[] mean, float[] invStd, float[] dGamma, float[] dBeta) {
        IntStream.range(0, channels).parallel().forEach(c -> {
            float[] xs = new float[hw];
            float[] gs = new float[hw];
            float m = mean[c];
            float is = invStd[c];
            float ga = gamma[c];
            float be = beta[c];
            double[] sums = new double[2];
            for (int b = 0; b < batch; b++) {
                int at = (b * channels + c) * hw;
                x.get(at, xs, 0, hw);
                g.get(at, gs, 0, hw);
                ops.geluAffineBackward(xs, gs, hw, m, is, ga, be, sums);
                g.put(at, gs, 0, hw);
            }
            double sumDz = sums[0];
            double sumDzXhat = sums[1];
            double n = (double) batch * hw;
            dGamma[c] = (float) sumDzXhat;
            dBeta[c] = (float) sumDz;
            float k = ga * is;
            float meanDz = (float) (sumDz / n);
            float meanDzXhat = (float) (sumDzXhat / n);
            for (int b = 0; b < batch; b++) {
                int at = (b * channels + c) * hw;
                x.get(at, xs, 0, hw);
                g.get(at, gs, 0, hw);
                ops.batchNormInputGradient(xs, gs, hw, m, is, k, meanDz, meanDzXhat);
                g.put(at, gs, 0, hw);
            }
        });
    }

    /** out = h * scale[b, c] + shift[b, c] over each plane; scale may be null (time conditioning only). */
    public void conditionForward(FloatBuffer h, FloatBuffer out, int batch, int channels, int hw,
            float[] scale, float[] shift) {
        IntStream.range(0, batch).parallel().forEach(b -> {
            float[] plane = new float[hw];
            for (int c = 0; c < channels; c++) {
                int at = (b * channels + c) * hw;
                float s = scale == null ? 1f : scale[b * channels + c];
                float t = shift[b * channels + c];
                h.get(at, plane, 0, hw);
                for (int i = 0; i < hw; i++) {
                    plane[i] = plane[i] * s + t;
                }
                out.put(at, plane, 0, hw);
            }
        });
    }

    /**
     * Backward of {@link #conditionForward}: g holds dL/dout on entry and dL/dh on return; dScale (may be null) and
     * dShift get the per-plane sums.
     */
    public void conditionBackward(FloatBuffer h, FloatBuffer g, int batch, int channels, int hw,
            float[] scale, float[] dScale, float[] dShift) {
        IntStream.range(0, batch).parallel().forEach(b -> {
            float[] hs = new float[hw];
            float[] gs = new float[hw];
            for (int c = 0; c < channels; c++) {
                int at = (b * channels + c) * hw;
                g.get(at, gs, 0, hw);
                float sum = 0;
                for (int i = 0; i < hw; i++) {
                    sum += gs[i];
                }
                dShift[b * channels + c] = sum;
                if (scale != null) {
                    h.get(at, hs, 0, hw);
                    float s = scale[b * channels + c];
                    float sh = 0;
                    for (int i = 0; i < hw; i++) {
                        sh += gs[i] * hs[i];
                        gs[i] *= s;
                    }
                    dScale[b * channels + c] = sh;
                    g.put(at, gs, 0, hw);
                }
            }
        });
    }

    /** Per-plane means of x [planes, hw]. */
    public static float[] planeMeans(FloatBuffer x, int planes, int hw) {
        float[] means = new float[planes];
        float[] plane = new float[hw];
        for (int p = 0; p < planes; p++) {
            x.get(p * hw, plane, 0, hw);
            double s = 0;
            for (int i = 0; i < hw; i++) {
                s += plane[i];
            }
            means[p] = (float) (s / hw);
        }
        return means;
    }

    /** Fills each plane p of out [planes, hw] with value[p] / hw (backward of a plane mean). */
    public static void spreadPlanes(FloatBuffer out, float[] value, int planes, int hw) {
        float[] plane = new float[hw];
        for (int p = 0; p < planes; p++) {
            java.util.Arrays.fill(plane, value[p] / hw);
            out.put(p * hw, plane, 0, hw);
        }
    }
}
