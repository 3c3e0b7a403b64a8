package io.campanile.trainer.step;

import org.jboss.logging.Logger;

/**
 * The per-plane inner loops of {@link Kernels}: batch norm's affine map followed by GELU, its backward, and the
 * sums batch statistics need. Two forms compute the same: {@link VectorPlaneOps} on the JDK's Vector API (about five
 * times faster: the exponential of GELU vectorises), used when the JVM runs with
 * {@code --add-modules jdk.incubator.vector}, and {@link ScalarPlaneOps} everywhere else.
 */
public abstract class PlaneOps {
    private static final Logger LOG = Logger.getLogger(PlaneOps.class);

    /** The vector form where the module is present (and {@code campanile.trainer.vector} is not false). */
    public static final PlaneOps BEST = pick();

    /** p[i] = GELU(p[i] * scale + shift) for i in [0, n). */
    public abstract void geluAffine(float[] p, int n, float scale, float shift);

    /**
     * With xhat = (x - mean) invStd and z = gamma xhat + beta: g[i] becomes g[i] GELU'(z); adds the sum of the new
     * g to sums[0] and of g xhat to sums[1].
     */
    public abstract void geluAffineBackward(float[] x, float[] g, int n, float mean, float invStd, float gamma,
            float beta, double[] sums);

    /** Adds the sum of p to acc[0] and of p^2 to acc[1]. */
    public abstract void sums(float[] p, int n, double[] acc);

    /** g[i] = k (g[i] - meanG - (x[i] - mean) invStd meanGXhat): batch norm's input gradient. */
    public void batchNormInputGradient(float[] x, float[] g, int n, float mean, float invStd, float k, float meanG,
            float meanGXhat) {
        for (int i = 0; i < n; i++) {
            g[i] = k * (g[i] - meanG - (x[i] - mean) * invStd * meanGXhat);
        }
    }

    public abstract String name();

    public static PlaneOps scalar() {
        return new ScalarPlaneOps();
    }

    /** The vector form, or null when this JVM lacks the module. */
    public static PlaneOps vector() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return null;
        }
        try {
            return (PlaneOps) Class.forName("io.campanile.trainer.step.VectorPlaneOps").getDeclaredConstructor()
                    .newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            LOG.warnf("Vector API kernels unavailable (%s); using scalar kernels", e);
            return null;
        }
    }

    private static PlaneOps pick() {
        PlaneOps v = Boolean.parseBoolean(System.getProperty("campanile.trainer.vector", "true")) ? vector() : null;
        if (v == null) {
            LOG.info("Training kernels: scalar (run the JVM with --add-modules jdk.incubator.vector for the faster"
                    + " vector kernels)");
            return scalar();
        }
        LOG.infof("Training kernels: %s", v.name());
        return v;
    }
}
