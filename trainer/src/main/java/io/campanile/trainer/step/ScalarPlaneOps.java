package io.campanile.trainer.step;

/** {@link PlaneOps} in plain Java, one element at a time. */
final class ScalarPlaneOps extends PlaneOps {
    @Override
    public void geluAffine(float[] p, int n, float scale, float shift) {
        for (int i = 0; i < n; i++) {
            p[i] = Gelu.value(p[i] * scale + shift);
        }
    }

    @Override
    public void geluAffineBackward(float[] x, float[] g, int n, float mean, float invStd, float gamma, float beta,
            double[] sums) {
        float s = 0;
        float sx = 0;
        for (int i = 0; i < n; i++) {
            float xhat = (x[i] - mean) * invStd;
            float dz = g[i] * Gelu.derivative(gamma * xhat + beta);
            g[i] = dz;
            s += dz;
            sx += dz * xhat;
        }
        sums[0] += s;
        sums[1] += sx;
    }

    @Override
    public void sums(float[] p, int n, double[] acc) {
        float s = 0;
        float s2 = 0;
        for (int i = 0; i < n; i++) {
            s += p[i];
            s2 += p[i] * p[i];
        }
        acc[0] += s;
        acc[1] += s2;
    }

    @Override
    public String name() {
        return "scalar";
    }
}
