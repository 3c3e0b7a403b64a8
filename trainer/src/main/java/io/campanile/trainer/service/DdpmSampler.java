package io.campanile.trainer.service;

import io.campanile.diffusion.schedule.BetaSchedule;
import io.campanile.diffusion.schedule.DdpmScheduler;
import io.campanile.diffusion.schedule.SchedulerSpec;
import io.campanile.diffusion.schedule.VarianceType;
import io.campanile.diffusion.tensor.Tensor;
import io.campanile.engine.LoopContext;
import io.campanile.engine.loop.DenoiseLoop;
import io.campanile.engine.loop.Denoiser;
import io.campanile.engine.loop.Noise;
import io.campanile.engine.loop.Prediction;
import io.campanile.trainer.model.EpsilonModel;
import java.util.Arrays;

/**
 * DDPM ancestral sampling as the course's algorithm B.2 (DDPM Algorithm 2), on the engine's one loop
 * ({@link DenoiseLoop}): from x_{T-1} ~ N(0, I), for t = T-1..0, x_{t-1} = 1/sqrt(alpha_t) (x_t - (1 -
 * alpha_t)/sqrt(1 - abar_t) eps) + sqrt(beta_t) z (z = 0 at t = 0), which is the scheduler's posterior step with
 * linear betas and fixed_large variance; classifier-free guidance eps = eps_u + s (eps_c - eps_u) ({@link Guidance})
 * when class vectors are given. Noise comes from the engine's per-image streams, so an exported pack sampled by the
 * stage-1 worker with the same seed starts from the same x_T. Images come out in [0, 1] (clamped at the end).
 */
public final class DdpmSampler {
    private static final int SIDE = 28;
    private final EpsilonModel model;
    private final DdpmScheduler scheduler;

    public DdpmSampler(EpsilonModel model, int numTimesteps) {
        this.model = model;
        this.scheduler = new DdpmScheduler(new SchedulerSpec(
                BetaSchedule.LINEAR, numTimesteps, 1e-4, 0.02, VarianceType.FIXED_LARGE, false, 0.95, 1.0));
    }

    /**
     * Samples n images.
     *
     * @param classes one-hots [n, 10] or null (time-conditioned model)
     * @param guidance CFG scale (ignored without classes)
     * @param snapshot called with t after each step (for trajectories), may be null
     * @return the images [n, 1, 28, 28] flattened
     */
    public float[] sample(int n, float[] classes, double guidance, long seed, Snapshot snapshot) {
        int steps = scheduler.schedule().numTrainSteps();
        Tensor x = Noise.batch(seed, "sample init", 0, n, 1, SIDE);
        Denoiser denoiser =
                (xt, t) -> new Prediction(new Tensor(xt.shape(), epsilon(xt.data(), t, n, classes, guidance)), null);
        DenoiseLoop.run(
                LoopContext.seeded(seed),
                scheduler,
                denoiser,
                x,
                new DenoiseLoop.Run(DenoiseLoop.everyStep(steps), 0, "sample", 0, "sample", true),
                snapshot == null ? null : (i, prevT, xi) -> snapshot.at(prevT + 1, xi.data()));
        float[] out = x.data();
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.max(0f, Math.min(1f, out[i]));
        }
        return out;
    }

    private float[] epsilon(float[] x, int t, int n, float[] classes, double guidance) {
        float tin = t / (float) scheduler.schedule().numTrainSteps();
        if (classes == null) {
            return model.predict(x, filled(n, tin), null, n);
        }
        return model.guided(x, tin, classes, n, (float) guidance);
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        Arrays.fill(a, v);
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
