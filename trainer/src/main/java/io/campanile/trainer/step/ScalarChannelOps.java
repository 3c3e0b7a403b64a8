package io.campanile.trainer.step;

/** {@link ChannelOps} in plain Java, one element at a time. */
final class ScalarChannelOps extends ChannelOps {
    @Override
    public void sums(float[] v, int rows, int channels, float[] acc) {
        for (int r = 0, i = 0; r < rows; r++) {
            for (int c = 0; c < channels; c++, i++) {
                acc[c] += v[i];
            }
        }
    }

    @Override
    public void centredSums(float[] v, int rows, int channels, float[] mean, float[] acc, float[] acc2) {
        for (int r = 0, i = 0; r < rows; r++) {
            for (int c = 0; c < channels; c++, i++) {
                float d = v[i] - mean[c];
                acc[c] += d;
                acc2[c] += d * d;
            }
        }
    }

    @Override
    public void affineGelu(float[] v, int rows, int channels, float[] scale, float[] shift) {
        for (int r = 0, i = 0; r < rows; r++) {
            for (int c = 0; c < channels; c++, i++) {
                v[i] = Gelu.value(v[i] * scale[c] + shift[c]);
            }
        }
    }

    @Override
    public void affine(float[] v, int rows, int channels, float[] scale, float[] shift, int off) {
        for (int r = 0, i = 0; r < rows; r++) {
            for (int c = 0; c < channels; c++, i++) {
                v[i] = v[i] * (scale == null ? 1f : scale[off + c]) + shift[off + c];
            }
        }
    }

    @Override
    public void geluBackward(
            float[] x,
            float[] g,
            int rows,
            int channels,
            float[] zScale,
            float[] zShift,
            float[] hScale,
            float[] hShift,
            float[] sumG,
            float[] sumGXhat) {
        for (int r = 0, i = 0; r < rows; r++) {
            for (int c = 0; c < channels; c++, i++) {
                float dz = g[i] * Gelu.derivative(x[i] * zScale[c] + zShift[c]);
                g[i] = dz;
                sumG[c] += dz;
                sumGXhat[c] += dz * (x[i] * hScale[c] + hShift[c]);
            }
        }
    }

    @Override
    public void batchNormInputGradient(
            float[] x,
            float[] g,
            int rows,
            int channels,
            float[] hScale,
            float[] hShift,
            float[] k,
            float[] meanG,
            float[] meanGXhat) {
        for (int r = 0, i = 0; r < rows; r++) {
            for (int c = 0; c < channels; c++, i++) {
                float xhat = x[i] * hScale[c] + hShift[c];
                g[i] = k[c] * (g[i] - meanG[c] - xhat * meanGXhat[c]);
            }
        }
    }

    @Override
    public void affineBackward(
            float[] h, float[] g, int rows, int channels, float[] scale, int off, float[] dScale, float[] dShift) {
        for (int r = 0, i = 0; r < rows; r++) {
            for (int c = 0; c < channels; c++, i++) {
                dShift[off + c] += g[i];
                if (scale != null) {
                    dScale[off + c] += g[i] * h[i];
                    g[i] *= scale[off + c];
                }
            }
        }
    }

    @Override
    public String name() {
        return "scalar";
    }
}
