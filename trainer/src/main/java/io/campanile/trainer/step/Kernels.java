package io.campanile.trainer.step;

import java.nio.FloatBuffer;
import java.util.stream.IntStream;

/**
 * Fused element-wise kernels of the course UNet's training step on channel-last (NHWC) float buffers, parallel over
 * the images of a batch: batch norm (batch statistics) followed by GELU, forward and backward; the same with running
 * statistics; the per-channel conditioning {@code h * c + t}; the mean over pixels; channel concatenation. SameDiff
 * ran each of these as a chain of broadcast ops, each a pass over memory; here a batch norm + GELU forward is two
 * passes and its backward two. Each image's block of {@code hw * C} values is copied into a per-thread array, worked
 * on by {@link ChannelOps}, and written back. Per-image partial sums are added in image order, so results do not
 * depend on thread scheduling.
 */
public final class Kernels {
    private final ChannelOps ops;
    private final ThreadLocal<float[][]> scratch = ThreadLocal.withInitial(() -> new float[3][0]);

    public Kernels(ChannelOps ops) {
        this.ops = ops;
    }

    /** The calling thread's scratch array {@code k} (0..2), at least n long. */
    private float[] block(int k, int n) {
        float[][] s = scratch.get();
        if (s[k].length < n) {
            s[k] = new float[n];
        }
        return s[k];
    }

    /**
     * Batch norm with this batch's statistics, then GELU: y = GELU(gamma (x - mean) / sqrt(var + eps) + beta).
     *
     * @param mean out: per-channel batch mean
     * @param var out: per-channel biased batch variance
     * @param invStd out: 1 / sqrt(var + eps)
     */
    public void bnGeluForward(
            FloatBuffer x,
            FloatBuffer y,
            int batch,
            int hw,
            int channels,
            float[] gamma,
            float[] beta,
            double eps,
            float[] mean,
            float[] var,
            float[] invStd) {
        int n = hw * channels;
        // per image: a first mean, then sums of deviations from it (its block is in cache for the second loop), which
        // correct that mean and give the centred sum of squares; images combine by Chan et al.'s formula in double,
        // which stays exact when a channel's mean is large against its spread
        double[][] means = new double[batch][channels];
        double[][] m2 = new double[batch][channels];
        IntStream.range(0, batch).parallel().forEach(b -> {
            float[] v = block(0, n);
            x.get(b * n, v, 0, n);
            float[] first = new float[channels];
            ops.sums(v, hw, channels, first);
            for (int c = 0; c < channels; c++) {
                first[c] /= hw;
            }
            float[] d = new float[channels];
            float[] d2 = new float[channels];
            ops.centredSums(v, hw, channels, first, d, d2);
            for (int c = 0; c < channels; c++) {
                means[b][c] = first[c] + (double) d[c] / hw;
                m2[b][c] = Math.max(0, d2[c] - (double) d[c] * d[c] / hw);
            }
        });
        double count = (double) batch * hw;
        float[] scale = new float[channels];
        float[] shift = new float[channels];
        for (int c = 0; c < channels; c++) {
            double m = 0;
            for (int b = 0; b < batch; b++) {
                m += means[b][c];
            }
            m /= batch;
            double sq = 0;
            for (int b = 0; b < batch; b++) {
                double d = means[b][c] - m;
                sq += m2[b][c] + hw * d * d;
            }
            double v = sq / count;
            mean[c] = (float) m;
            var[c] = (float) v;
            invStd[c] = (float) (1 / Math.sqrt(v + eps));
            scale[c] = gamma[c] * invStd[c];
            shift[c] = beta[c] - mean[c] * scale[c];
        }
        affineGelu(x, y, batch, hw, channels, scale, shift);
    }

    /** Batch norm with given (running) statistics, then GELU: one pass. */
    public void bnGeluInference(
            FloatBuffer x,
            FloatBuffer y,
            int batch,
            int hw,
            int channels,
            float[] gamma,
            float[] beta,
            double eps,
            float[] mean,
            float[] var) {
        float[] scale = new float[channels];
        float[] shift = new float[channels];
        for (int c = 0; c < channels; c++) {
            scale[c] = (float) (gamma[c] / Math.sqrt(var[c] + eps));
            shift[c] = beta[c] - mean[c] * scale[c];
        }
        affineGelu(x, y, batch, hw, channels, scale, shift);
    }

    private void affineGelu(
            FloatBuffer x, FloatBuffer y, int batch, int hw, int channels, float[] scale, float[] shift) {
        int n = hw * channels;
        IntStream.range(0, batch).parallel().forEach(b -> {
            float[] v = block(0, n);
            x.get(b * n, v, 0, n);
            ops.affineGelu(v, hw, channels, scale, shift);
            y.put(b * n, v, 0, n);
        });
    }

    /**
     * Backward of {@link #bnGeluForward}: g holds dL/dy on entry and dL/dx on return.
     *
     * @param dGamma out: dL/dgamma per channel
     * @param dBeta out: dL/dbeta per channel
     */
    public void bnGeluBackward(
            FloatBuffer x,
            FloatBuffer g,
            int batch,
            int hw,
            int channels,
            float[] gamma,
            float[] beta,
            float[] mean,
            float[] invStd,
            float[] dGamma,
            float[] dBeta) {
        int n = hw * channels;
        float[] zScale = new float[channels];
        float[] zShift = new float[channels];
        float[] hScale = new float[channels];
        float[] hShift = new float[channels];
        for (int c = 0; c < channels; c++) {
            hScale[c] = invStd[c];
            hShift[c] = -mean[c] * invStd[c];
            zScale[c] = gamma[c] * invStd[c];
            zShift[c] = beta[c] - mean[c] * zScale[c];
        }
        float[][] sg = new float[batch][channels];
        float[][] sgx = new float[batch][channels];
        IntStream.range(0, batch).parallel().forEach(b -> {
            float[] xs = block(0, n);
            float[] gs = block(1, n);
            x.get(b * n, xs, 0, n);
            g.get(b * n, gs, 0, n);
            ops.geluBackward(xs, gs, hw, channels, zScale, zShift, hScale, hShift, sg[b], sgx[b]);
            g.put(b * n, gs, 0, n);
        });
        double count = (double) batch * hw;
        float[] meanG = new float[channels];
        float[] meanGXhat = new float[channels];
        for (int c = 0; c < channels; c++) {
            double sum = 0;
            double sumX = 0;
            for (int b = 0; b < batch; b++) {
                sum += sg[b][c];
                sumX += sgx[b][c];
            }
            dBeta[c] = (float) sum;
            dGamma[c] = (float) sumX;
            meanG[c] = (float) (sum / count);
            meanGXhat[c] = (float) (sumX / count);
        }
        IntStream.range(0, batch).parallel().forEach(b -> {
            float[] xs = block(0, n);
            float[] gs = block(1, n);
            x.get(b * n, xs, 0, n);
            g.get(b * n, gs, 0, n);
            ops.batchNormInputGradient(xs, gs, hw, channels, hScale, hShift, zScale, meanG, meanGXhat);
            g.put(b * n, gs, 0, n);
        });
    }

    /** out = h * scale[b, c] + shift[b, c] at every pixel; scale may be null (time conditioning only). */
    public void conditionForward(
            FloatBuffer h, FloatBuffer out, int batch, int hw, int channels, float[] scale, float[] shift) {
        int n = hw * channels;
        IntStream.range(0, batch).parallel().forEach(b -> {
            float[] v = block(0, n);
            h.get(b * n, v, 0, n);
            ops.affine(v, hw, channels, scale, shift, b * channels);
            out.put(b * n, v, 0, n);
        });
    }

    /**
     * Backward of {@link #conditionForward}: g holds dL/dout on entry and dL/dh on return; dScale (may be null) and
     * dShift [B * C] get the sums over pixels.
     */
    public void conditionBackward(
            FloatBuffer h,
            FloatBuffer g,
            int batch,
            int hw,
            int channels,
            float[] scale,
            float[] dScale,
            float[] dShift) {
        int n = hw * channels;
        IntStream.range(0, batch).parallel().forEach(b -> {
            float[] hs = block(0, n);
            float[] gs = block(1, n);
            if (scale != null) {
                h.get(b * n, hs, 0, n);
            }
            g.get(b * n, gs, 0, n);
            ops.affineBackward(hs, gs, hw, channels, scale, b * channels, dScale, dShift);
            if (scale != null) {
                g.put(b * n, gs, 0, n);
            }
        });
    }

    /** The mean over pixels of each image's channels: [B * C]. */
    public float[] pixelMeans(FloatBuffer x, int batch, int hw, int channels) {
        int n = hw * channels;
        float[] means = new float[batch * channels];
        IntStream.range(0, batch).parallel().forEach(b -> {
            float[] v = block(0, n);
            x.get(b * n, v, 0, n);
            float[] acc = new float[channels];
            ops.sums(v, hw, channels, acc);
            for (int c = 0; c < channels; c++) {
                means[b * channels + c] = acc[c] / hw;
            }
        });
        return means;
    }

    /** Fills every pixel of image b, channel c with value[b * C + c] / hw (backward of {@link #pixelMeans}). */
    public void spreadOverPixels(FloatBuffer out, float[] value, int batch, int hw, int channels) {
        int n = hw * channels;
        IntStream.range(0, batch).parallel().forEach(b -> {
            float[] v = block(0, n);
            for (int p = 0; p < hw; p++) {
                for (int c = 0; c < channels; c++) {
                    v[p * channels + c] = value[b * channels + c] / hw;
                }
            }
            out.put(b * n, v, 0, n);
        });
    }

    /** out [B, hw, Ca + Cb] = a [B, hw, Ca] and b [B, hw, Cb] side by side along channels. */
    public void concat(FloatBuffer a, FloatBuffer b, FloatBuffer out, int batch, int hw, int ca, int cb) {
        int c = ca + cb;
        IntStream.range(0, batch).parallel().forEach(i -> {
            float[] va = block(0, hw * ca);
            float[] vb = block(1, hw * cb);
            float[] vo = block(2, hw * c);
            a.get(i * hw * ca, va, 0, hw * ca);
            b.get(i * hw * cb, vb, 0, hw * cb);
            for (int p = 0; p < hw; p++) {
                System.arraycopy(va, p * ca, vo, p * c, ca);
                System.arraycopy(vb, p * cb, vo, p * c + ca, cb);
            }
            out.put(i * hw * c, vo, 0, hw * c);
        });
    }

    /** The inverse of {@link #concat}: g [B, hw, Ca + Cb] into ga and gb. */
    public void split(FloatBuffer g, FloatBuffer ga, FloatBuffer gb, int batch, int hw, int ca, int cb) {
        int c = ca + cb;
        IntStream.range(0, batch).parallel().forEach(i -> {
            float[] va = block(0, hw * ca);
            float[] vb = block(1, hw * cb);
            float[] vg = block(2, hw * c);
            g.get(i * hw * c, vg, 0, hw * c);
            for (int p = 0; p < hw; p++) {
                System.arraycopy(vg, p * c, va, p * ca, ca);
                System.arraycopy(vg, p * c + ca, vb, p * cb, cb);
            }
            ga.put(i * hw * ca, va, 0, hw * ca);
            gb.put(i * hw * cb, vb, 0, hw * cb);
        });
    }
}
