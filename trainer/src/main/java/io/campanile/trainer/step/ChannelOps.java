package io.campanile.trainer.step;

import org.jboss.logging.Logger;

/**
 * The inner loops of {@link Kernels} on channel-last blocks: {@code rows} pixels of {@code C} channels each, row
 * after row ({@code v[r * C + c]}), with per-channel parameters. Two forms compute the same:
 * {@link VectorChannelOps} on the JDK's Vector API (GELU's exponential vectorises; about five times faster), used
 * when the JVM runs with {@code --add-modules jdk.incubator.vector}, and {@link ScalarChannelOps} everywhere else.
 */
public abstract class ChannelOps {
    private static final Logger LOG = Logger.getLogger(ChannelOps.class);

    /** The vector form where the module is present (and {@code campanile.trainer.vector} is not false). */
    public static final ChannelOps BEST = pick();

    /** acc[c] += sum over rows of v. */
    public abstract void sums(float[] v, int rows, int channels, float[] acc);

    /** With d = v - mean[c]: acc[c] += sum over rows of d, acc2[c] += sum of d^2. */
    public abstract void centredSums(float[] v, int rows, int channels, float[] mean, float[] acc, float[] acc2);

    /** v = GELU(v * scale[c] + shift[c]). */
    public abstract void affineGelu(float[] v, int rows, int channels, float[] scale, float[] shift);

    /** v = v * scale[off + c] + shift[off + c]; a null scale multiplies by 1. */
    public abstract void affine(float[] v, int rows, int channels, float[] scale, float[] shift, int off);

    /**
     * Backward of {@link #affineGelu} inside batch norm: with z = x zScale[c] + zShift[c] and
     * xhat = x hScale[c] + hShift[c], g becomes g GELU'(z); sumG[c] += the new g, sumGXhat[c] += g xhat.
     */
    public abstract void geluBackward(
            float[] x,
            float[] g,
            int rows,
            int channels,
            float[] zScale,
            float[] zShift,
            float[] hScale,
            float[] hShift,
            float[] sumG,
            float[] sumGXhat);

    /** Batch norm's input gradient: g = k[c] (g - meanG[c] - xhat meanGXhat[c]), xhat = x hScale[c] + hShift[c]. */
    public abstract void batchNormInputGradient(
            float[] x,
            float[] g,
            int rows,
            int channels,
            float[] hScale,
            float[] hShift,
            float[] k,
            float[] meanG,
            float[] meanGXhat);

    /**
     * Backward of {@link #affine}: dShift[off + c] += sum of g, dScale[off + c] += sum of g h, then g *= scale (both
     * skipped for a null scale).
     */
    public abstract void affineBackward(
            float[] h, float[] g, int rows, int channels, float[] scale, int off, float[] dScale, float[] dShift);

    public abstract String name();

    public static ChannelOps scalar() {
        return new ScalarChannelOps();
    }

    /** The vector form, or null when this JVM lacks the module. */
    public static ChannelOps vector() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return null;
        }
        try {
            return (ChannelOps) Class.forName("io.campanile.trainer.step.VectorChannelOps")
                    .getDeclaredConstructor()
                    .newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            LOG.warnf("Vector API kernels unavailable (%s); using scalar kernels", e);
            return null;
        }
    }

    private static ChannelOps pick() {
        ChannelOps v = Boolean.parseBoolean(System.getProperty("campanile.trainer.vector", "true")) ? vector() : null;
        if (v == null) {
            LOG.info("Training kernels: scalar (run the JVM with --add-modules jdk.incubator.vector for the faster"
                    + " vector kernels)");
            return scalar();
        }
        LOG.infof("Training kernels: %s", v.name());
        return v;
    }
}
