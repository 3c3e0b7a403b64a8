package io.campanile.diffusion.views;

import io.campanile.diffusion.tensor.Tensor;

/**
 * A {@link View} given by a gather table over one {@code H x W} plane and a sign: {@code out[p] = sign *
 * in[table[p]]} for every plane. The inverse uses the inverted table ({@code inv[table[p]] = p}) and the same sign
 * (a sign of -1 is its own inverse); the variance's inverse uses the table alone. Both tables are built once per
 * plane size (a denoising loop maps every step at the same size).
 */
final class PixelMap implements View {

    /** Builds the gather table of a view for one plane, or throws if the plane size does not suit it. */
    @FunctionalInterface
    interface Table {
        int[] gather(int h, int w);
    }

    private final String name;
    private final Table table;
    private final float sign;
    /** The tables of the last plane size mapped (views are shared across threads: replaced whole, never mutated). */
    private volatile Tables tables;

    private record Tables(int h, int w, int[] gather, int[] inverse) {}

    PixelMap(String name, Table table, float sign) {
        this.name = name;
        this.table = table;
        this.sign = sign;
    }

    @Override
    public boolean isIdentity() {
        return name.equals("identity");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Tensor apply(Tensor x) {
        return map(x, false, sign);
    }

    @Override
    public Tensor inverse(Tensor x) {
        return map(x, true, sign);
    }

    /** The inverse pixel map with a sign of +1: a variance estimate is not negated. */
    @Override
    public Tensor inverseVariance(Tensor v) {
        return map(v, true, 1f);
    }

    /** The identity copies without tables; any other view gathers by its (inverse) table. */
    private Tensor map(Tensor x, boolean inverse, float sign) {
        checkRank(x);
        if (isIdentity()) {
            return x.copy();
        }
        Tables t = tables(x);
        return remap(x, inverse ? t.inverse() : t.gather(), sign);
    }

    private Tables tables(Tensor x) {
        int h = x.dim(-2);
        int w = x.dim(-1);
        Tables t = tables;
        if (t == null || t.h() != h || t.w() != w) {
            int[] gather = table.gather(h, w);
            int[] inverse = new int[gather.length];
            for (int p = 0; p < gather.length; p++) {
                inverse[gather[p]] = p;
            }
            t = new Tables(h, w, gather, inverse);
            tables = t;
        }
        return t;
    }

    @Override
    public String toString() {
        return "View[" + name + "]";
    }

    private static Tensor remap(Tensor x, int[] gather, float sign) {
        float[] in = x.data();
        float[] out = new float[in.length];
        int plane = gather.length;
        for (int off = 0; plane > 0 && off < in.length; off += plane) {
            for (int p = 0; p < plane; p++) {
                out[off + p] = sign * in[off + gather[p]];
            }
        }
        return new Tensor(x.shape(), out);
    }

    private void checkRank(Tensor x) {
        if (x.rank() != 3 && x.rank() != 4) {
            throw new IllegalArgumentException(
                    "views: " + name + " expects [C, H, W] or [B, C, H, W] but got " + x.shapeString());
        }
    }
}
