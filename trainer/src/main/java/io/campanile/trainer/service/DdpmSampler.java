package io.campanile.trainer.service;

import io.campanile.diffusion.schedule.BetaSchedule;
import io.campanile.diffusion.schedule.NoiseSchedule;
import io.campanile.trainer.model.EpsilonModel;
import java.util.SplittableRandom;

/**
 * DDPM ancestral sampling as the course's algorithm B.2 (DDPM Algorithm 2): from x_{T-1} ~ N(0, I), for t = T-1..0,
 * x_{t-1} = 1/sqrt(alpha_t) (x_t - (1 - alpha_t)/sqrt(1 - abar_t) eps) + sqrt(beta_t) z (z = 0 at t = 0), with
 * classifier-free guidance eps = eps_u + s (eps_c - eps_u) when class vectors are given. Images come out in [0, 1]
 * (clamped at the end).
 */
public final class DdpmSampler {
    private final EpsilonModel model;
    private final NoiseSchedule schedule;

    public DdpmSampler(EpsilonModel model, int numTimesteps) {
        this.model = model;
        this.schedule = NoiseSchedule.of(BetaSchedule.LINEAR, numTimesteps, 1e-4, 0.02);
    }

    /**
     * Samples n images.
     *
     * @param classes one-hots [n, 10] or null (time-conditioned model)
     * @param guidance CFG scale (ignored without classes)
     * @param snapshot called with t after each step (for trajectories), may be null
     * @return the current x, updated in place by every step; [n, 1, 28, 28] flattened
     */
    public float[] sample(int n, float[] classes, double guidance, long seed, Snapshot snapshot) {
        int px = 784;
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * px];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        int steps = schedule.numTrainSteps();
        for (int t = steps - 1; t >= 0; t--) {
            float[] eps = epsilon(x, t, n, classes, guidance);
            double beta = schedule.beta(t);
            double alpha = 1 - beta;
            double abar = schedule.alphaCumprod(t);
            float a = (float) (1 / Math.sqrt(alpha));
            float k = (float) ((1 - alpha) / Math.sqrt(1 - abar));
            float s = t > 0 ? (float) Math.sqrt(beta) : 0f;
            for (int i = 0; i < x.length; i++) {
                x[i] = a * (x[i] - k * eps[i]) + (t > 0 ? s * (float) r.nextGaussian() : 0f);
            }
            if (snapshot != null) {
                snapshot.at(t, x);
            }
        }
        for (int i = 0; i < x.length; i++) {
            x[i] = Math.max(0f, Math.min(1f, x[i]));
        }
        return x;
    }

    private float[] epsilon(float[] x, int t, int n, float[] classes, double guidance) {
        float tin = t / (float) schedule.numTrainSteps();
        if (classes == null) {
            return model.predict(x, filled(n, tin), null, n);
        }
        // one forward pass of 2n: conditional then unconditional (zero class vectors)
        float[] x2 = new float[2 * x.length];
        System.arraycopy(x, 0, x2, 0, x.length);
        System.arraycopy(x, 0, x2, x.length, x.length);
        float[] c2 = new float[2 * classes.length];
        System.arraycopy(classes, 0, c2, 0, classes.length);
        float[] out = model.predict(x2, filled(2 * n, tin), c2, 2 * n);
        float[] eps = new float[x.length];
        float g = (float) guidance;
        for (int i = 0; i < eps.length; i++) {
            float u = out[x.length + i];
            eps[i] = u + g * (out[i] - u);
        }
        return eps;
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    /** Sees x after the step to t (x is live: copy what you keep). */
    @FunctionalInterface
    public interface Snapshot {
        void at(int t, float[] x);
    }

    /** One-hots for 4 samples per digit 0..9 (n = 4 * 10, digit-major), or {@code perDigit} per digit. */
    public static float[] digitClasses(int perDigit) {
        float[] c = new float[perDigit * 10 * 10];
        for (int d = 0; d < 10; d++) {
            for (int j = 0; j < perDigit; j++) {
                c[(d * perDigit + j) * 10 + d] = 1;
            }
        }
        return c;
    }
}
