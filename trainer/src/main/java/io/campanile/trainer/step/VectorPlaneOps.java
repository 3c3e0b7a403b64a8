package io.campanile.trainer.step;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link PlaneOps} on the Vector API: GELU with the same Abramowitz-Stegun erfc as {@link Gelu}, its exponential
 * evaluated by the JDK's vector EXP. Loaded only when the JVM has {@code jdk.incubator.vector}.
 */
final class VectorPlaneOps extends PlaneOps {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;


    /** Phi(z) of a vector and, in e[0], exp(-z^2 / 2). */
    private static FloatVector cdf(FloatVector z, FloatVector[] e) {
        FloatVector a = z.abs().mul(Gelu.INV_SQRT2);
        FloatVector ex = a.mul(a).neg().lanewise(VectorOperators.EXP);
        FloatVector t = a.fma(Gelu.P, 1f);
        t = FloatVector.broadcast(S, 1f).div(t);
        FloatVector half = t.fma(Gelu.A5, Gelu.A4).fma(t, FloatVector.broadcast(S, Gelu.A3))
                .fma(t, FloatVector.broadcast(S, Gelu.A2)).fma(t, FloatVector.broadcast(S, Gelu.A1)).mul(t).mul(ex)
                .mul(0.5f);
        VectorMask<Float> positive = z.compare(VectorOperators.GE, 0f);
        e[0] = ex;
        return half.blend(FloatVector.broadcast(S, 1f).sub(half), positive);
    }

    @Override
    public void geluAffine(float[] p, int n, float scale, float shift) {
        FloatVector[] e = new FloatVector[1];
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector z = FloatVector.fromArray(S, p, i).fma(scale, shift);
            z.mul(cdf(z, e)).intoArray(p, i);
        }
        for (; i < n; i++) {
            p[i] = Gelu.value(p[i] * scale + shift);
        }
    }

    @Override
    public void geluAffineBackward(float[] x, float[] g, int n, float mean, float invStd, float gamma, float beta,
            double[] sums) {
        FloatVector[] e = new FloatVector[1];
        FloatVector s = FloatVector.zero(S);
        FloatVector sx = FloatVector.zero(S);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector xhat = FloatVector.fromArray(S, x, i).sub(mean).mul(invStd);
            FloatVector z = xhat.fma(gamma, beta);
            FloatVector phi = cdf(z, e);
            FloatVector slope = z.mul(e[0]).mul(Gelu.INV_SQRT_2PI).add(phi);
            FloatVector dz = FloatVector.fromArray(S, g, i).mul(slope);
            dz.intoArray(g, i);
            s = s.add(dz);
            sx = dz.fma(xhat, sx);
        }
        float ts = 0;
        float tsx = 0;
        for (; i < n; i++) {
            float xhat = (x[i] - mean) * invStd;
            float dz = g[i] * Gelu.derivative(gamma * xhat + beta);
            g[i] = dz;
            ts += dz;
            tsx += dz * xhat;
        }
        sums[0] += s.reduceLanes(VectorOperators.ADD) + ts;
        sums[1] += sx.reduceLanes(VectorOperators.ADD) + tsx;
    }

    @Override
    public void sums(float[] p, int n, double[] acc) {
        FloatVector s = FloatVector.zero(S);
        FloatVector s2 = FloatVector.zero(S);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, p, i);
            s = s.add(v);
            s2 = v.fma(v, s2);
        }
        float ts = 0;
        float ts2 = 0;
        for (; i < n; i++) {
            ts += p[i];
            ts2 += p[i] * p[i];
        }
        acc[0] += s.reduceLanes(VectorOperators.ADD) + ts;
        acc[1] += s2.reduceLanes(VectorOperators.ADD) + ts2;
    }

    @Override
    public void batchNormInputGradient(float[] x, float[] g, int n, float mean, float invStd, float k, float meanG,
            float meanGXhat) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector xhat = FloatVector.fromArray(S, x, i).sub(mean).mul(invStd);
            FloatVector.fromArray(S, g, i).sub(meanG).sub(xhat.mul(meanGXhat)).mul(k).intoArray(g, i);
        }
        for (; i < n; i++) {
            g[i] = k * (g[i] - meanG - (x[i] - mean) * invStd * meanGXhat);
        }
    }

    @Override
    public String name() {
        return "vector (" + S.vectorBitSize() + "-bit)";
    }
}
