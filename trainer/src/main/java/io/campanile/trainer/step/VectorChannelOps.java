package io.campanile.trainer.step;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ChannelOps} on the Vector API, a vector of channels at a time: GELU with the same Abramowitz-Stegun erfc
 * as {@link Gelu}, its exponential by the JDK's vector EXP. Channel counts that are not a multiple of the vector
 * length go to the scalar form. Loaded only when the JVM has {@code jdk.incubator.vector}.
 */
final class VectorChannelOps extends ChannelOps {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private final ChannelOps scalar = new ScalarChannelOps();

    /** Phi(z) and, in e[0], exp(-z^2 / 2). */
    private static FloatVector cdf(FloatVector z, FloatVector[] e) {
        FloatVector a = z.abs().mul(Gelu.INV_SQRT2);
        FloatVector ex = a.mul(a).neg().lanewise(VectorOperators.EXP);
        FloatVector t = FloatVector.broadcast(S, 1f).div(a.fma(Gelu.P, 1f));
        FloatVector half = t.fma(Gelu.A5, Gelu.A4)
                .fma(t, FloatVector.broadcast(S, Gelu.A3))
                .fma(t, FloatVector.broadcast(S, Gelu.A2))
                .fma(t, FloatVector.broadcast(S, Gelu.A1))
                .mul(t)
                .mul(ex)
                .mul(0.5f);
        VectorMask<Float> positive = z.compare(VectorOperators.GE, 0f);
        e[0] = ex;
        return half.blend(FloatVector.broadcast(S, 1f).sub(half), positive);
    }

    @Override
    public void sums(float[] v, int rows, int channels, float[] acc) {
        if (channels % L != 0) {
            scalar.sums(v, rows, channels, acc);
            return;
        }
        for (int c = 0; c < channels; c += L) {
            FloatVector s = FloatVector.fromArray(S, acc, c);
            for (int r = 0, i = c; r < rows; r++, i += channels) {
                s = s.add(FloatVector.fromArray(S, v, i));
            }
            s.intoArray(acc, c);
        }
    }

    @Override
    public void centredSums(float[] v, int rows, int channels, float[] mean, float[] acc, float[] acc2) {
        if (channels % L != 0) {
            scalar.centredSums(v, rows, channels, mean, acc, acc2);
            return;
        }
        for (int c = 0; c < channels; c += L) {
            FloatVector m = FloatVector.fromArray(S, mean, c);
            FloatVector s = FloatVector.fromArray(S, acc, c);
            FloatVector s2 = FloatVector.fromArray(S, acc2, c);
            for (int r = 0, i = c; r < rows; r++, i += channels) {
                FloatVector d = FloatVector.fromArray(S, v, i).sub(m);
                s = s.add(d);
                s2 = d.fma(d, s2);
            }
            s.intoArray(acc, c);
            s2.intoArray(acc2, c);
        }
    }

    @Override
    public void affineGelu(float[] v, int rows, int channels, float[] scale, float[] shift) {
        if (channels % L != 0) {
            scalar.affineGelu(v, rows, channels, scale, shift);
            return;
        }
        FloatVector[] e = new FloatVector[1];
        for (int c = 0; c < channels; c += L) {
            FloatVector sc = FloatVector.fromArray(S, scale, c);
            FloatVector sh = FloatVector.fromArray(S, shift, c);
            for (int r = 0, i = c; r < rows; r++, i += channels) {
                FloatVector z = FloatVector.fromArray(S, v, i).fma(sc, sh);
                z.mul(cdf(z, e)).intoArray(v, i);
            }
        }
    }

    @Override
    public void affine(float[] v, int rows, int channels, float[] scale, float[] shift, int off) {
        if (channels % L != 0) {
            scalar.affine(v, rows, channels, scale, shift, off);
            return;
        }
        for (int c = 0; c < channels; c += L) {
            FloatVector sc = scale == null ? FloatVector.broadcast(S, 1f) : FloatVector.fromArray(S, scale, off + c);
            FloatVector sh = FloatVector.fromArray(S, shift, off + c);
            for (int r = 0, i = c; r < rows; r++, i += channels) {
                FloatVector.fromArray(S, v, i).fma(sc, sh).intoArray(v, i);
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
        if (channels % L != 0) {
            scalar.geluBackward(x, g, rows, channels, zScale, zShift, hScale, hShift, sumG, sumGXhat);
            return;
        }
        FloatVector[] e = new FloatVector[1];
        for (int c = 0; c < channels; c += L) {
            FloatVector zs = FloatVector.fromArray(S, zScale, c);
            FloatVector zh = FloatVector.fromArray(S, zShift, c);
            FloatVector hs = FloatVector.fromArray(S, hScale, c);
            FloatVector hh = FloatVector.fromArray(S, hShift, c);
            FloatVector s = FloatVector.fromArray(S, sumG, c);
            FloatVector sx = FloatVector.fromArray(S, sumGXhat, c);
            for (int r = 0, i = c; r < rows; r++, i += channels) {
                FloatVector xv = FloatVector.fromArray(S, x, i);
                FloatVector z = xv.fma(zs, zh);
                FloatVector phi = cdf(z, e);
                FloatVector slope = z.mul(e[0]).mul(Gelu.INV_SQRT_2PI).add(phi);
                FloatVector dz = FloatVector.fromArray(S, g, i).mul(slope);
                dz.intoArray(g, i);
                s = s.add(dz);
                sx = dz.fma(xv.fma(hs, hh), sx);
            }
            s.intoArray(sumG, c);
            sx.intoArray(sumGXhat, c);
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
        if (channels % L != 0) {
            scalar.batchNormInputGradient(x, g, rows, channels, hScale, hShift, k, meanG, meanGXhat);
            return;
        }
        for (int c = 0; c < channels; c += L) {
            FloatVector hs = FloatVector.fromArray(S, hScale, c);
            FloatVector hh = FloatVector.fromArray(S, hShift, c);
            FloatVector kv = FloatVector.fromArray(S, k, c);
            FloatVector mg = FloatVector.fromArray(S, meanG, c);
            FloatVector mgx = FloatVector.fromArray(S, meanGXhat, c);
            for (int r = 0, i = c; r < rows; r++, i += channels) {
                FloatVector xhat = FloatVector.fromArray(S, x, i).fma(hs, hh);
                FloatVector.fromArray(S, g, i)
                        .sub(mg)
                        .sub(xhat.mul(mgx))
                        .mul(kv)
                        .intoArray(g, i);
            }
        }
    }

    @Override
    public void affineBackward(
            float[] h, float[] g, int rows, int channels, float[] scale, int off, float[] dScale, float[] dShift) {
        if (channels % L != 0) {
            scalar.affineBackward(h, g, rows, channels, scale, off, dScale, dShift);
            return;
        }
        for (int c = 0; c < channels; c += L) {
            FloatVector dsh = FloatVector.fromArray(S, dShift, off + c);
            FloatVector sc = scale == null ? null : FloatVector.fromArray(S, scale, off + c);
            FloatVector dsc = scale == null ? null : FloatVector.fromArray(S, dScale, off + c);
            for (int r = 0, i = c; r < rows; r++, i += channels) {
                FloatVector gv = FloatVector.fromArray(S, g, i);
                dsh = dsh.add(gv);
                if (sc != null) {
                    dsc = gv.fma(FloatVector.fromArray(S, h, i), dsc);
                    gv.mul(sc).intoArray(g, i);
                }
            }
            dsh.intoArray(dShift, off + c);
            if (dsc != null) {
                dsc.intoArray(dScale, off + c);
            }
        }
    }

    @Override
    public String name() {
        return "vector (" + S.vectorBitSize() + "-bit)";
    }
}
