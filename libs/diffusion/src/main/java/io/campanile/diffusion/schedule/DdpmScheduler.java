package io.campanile.diffusion.schedule;

import io.campanile.diffusion.tensor.Tensor;

/**
 * The step maths of a DDPM sampler (Ho et al. 2020) as diffusers' {@code DDPMScheduler} with custom timesteps and
 * epsilon prediction. Stateless and thread-safe: the caller's loop owns the timestep list and passes each step's
 * {@code t} and the next entry {@code prevT} ({@code -1} after the last entry, where {@code alpha_bar = 1}).
 *
 * <p>Tensors are {@code [B, C, H, W]} (dynamic thresholding per sample {@code b}) or {@code [C, H, W]} (one sample).
 * Arithmetic is float32 per element, like the torch reference; per-step coefficients are computed in double.
 */
public final class DdpmScheduler {

    /** diffusers clamps the posterior variance before taking its log. */
    private static final double MIN_VARIANCE = 1e-20;

    private final SchedulerSpec spec;
    private final NoiseSchedule schedule;

    /** Builds the noise tables of {@code spec} once. */
    public DdpmScheduler(SchedulerSpec spec) {
        if (spec == null) {
            throw new IllegalArgumentException("scheduler spec must not be null");
        }
        this.spec = spec;
        this.schedule =
                NoiseSchedule.of(spec.betaSchedule(), spec.numTrainTimesteps(), spec.betaStart(), spec.betaEnd());
    }

    /** The configuration. */
    public SchedulerSpec spec() {
        return spec;
    }

    /** The beta and alpha-bar tables. */
    public NoiseSchedule schedule() {
        return schedule;
    }

    /**
     * {@code alpha_bar} at the previous timestep: {@code alphaCumprod(prevT)}, or 1 for {@code prevT == -1}.
     *
     * @throws IllegalArgumentException when {@code prevT} is neither -1 nor a valid timestep
     */
    public double alphaCumprodPrev(int prevT) {
        if (prevT == -1) {
            return 1.0;
        }
        schedule.checkTimestep("prev_t", prevT);
        return schedule.alphaCumprod(prevT);
    }

    /**
     * The predicted clean image {@code x0_hat = (x_t - sqrt(1 - alpha_bar_t) eps) / sqrt(alpha_bar_t)} (Ho et al.
     * 2020, eq. 15), dynamically thresholded per sample when {@link SchedulerSpec#thresholding()} is on.
     *
     * @param xt the noisy sample, {@code [B, C, H, W]} or {@code [C, H, W]}
     * @param eps the predicted noise, same shape
     * @param t the timestep of {@code xt}
     * @return a new tensor of the same shape
     */
    public Tensor predictOriginal(Tensor xt, Tensor eps, int t) {
        Tensor.requireSameShape(xt, eps);
        int batch = batchOf(xt);
        schedule.checkTimestep("t", t);
        double abar = schedule.alphaCumprod(t);
        float noiseCoef = (float) Math.sqrt(1 - abar);
        float invSqrt = (float) (1 / Math.sqrt(abar));
        float[] x = xt.data();
        float[] e = eps.data();
        float[] o = new float[x.length];
        int n = x.length / batch;
        for (int off = 0; off < x.length; off += n) {
            float s = threshold(x, e, off, n, noiseCoef, invSqrt);
            float lim = spec.thresholding() ? s : Float.POSITIVE_INFINITY;
            for (int i = off; i < off + n; i++) {
                float x0 = DynamicThreshold.x0(x[i], e[i], noiseCoef, invSqrt);
                o[i] = Math.min(Math.max(x0, -lim), lim) / s;
            }
        }
        return new Tensor(xt.shape(), o);
    }

    /**
     * One reverse step from {@code t} to {@code prevT}; see {@link #stepInto}.
     *
     * @return a new tensor {@code x_prevT}; the inputs are not modified
     */
    public Tensor step(Tensor xt, Tensor eps, Tensor v, int t, int prevT, Tensor noise) {
        Tensor out = Tensor.zeros(xt.shape());
        stepInto(xt, eps, v, t, prevT, noise, out);
        return out;
    }

    /**
     * One reverse step from {@code t} to {@code prevT}, written into {@code out} without allocating tensors:
     *
     * <ol>
     *   <li>{@code alpha_bar_t}, {@code alpha_bar_prev} ({@link #alphaCumprodPrev}), {@code beta_t = 1 - alpha_t},
     *       {@code alpha_t = alpha_bar_t / alpha_bar_prev} (the strided step's own beta);
     *   <li>{@code x0_hat} as {@link #predictOriginal};
     *   <li>the posterior mean {@code sqrt(alpha_bar_prev) beta_t / (1 - alpha_bar_t) x0_hat + sqrt(alpha_t) (1 -
     *       alpha_bar_prev) / (1 - alpha_bar_t) x_t} (Ho et al. 2020, eq. 7);
     *   <li>if {@code t > 0}, plus {@code std * noise}, {@code std} from {@link SchedulerSpec#varianceType()}.
     * </ol>
     *
     * @param xt the noisy sample at {@code t}, {@code [B, C, H, W]} or {@code [C, H, W]}
     * @param eps the predicted noise, same shape
     * @param v the variance interpolation in [-1, 1], same shape; required for {@link VarianceType#LEARNED_RANGE},
     *     otherwise ignored and may be null
     * @param t the current timestep
     * @param prevT the next timestep of the list, in {@code [0, t)}, or -1 after the last entry
     * @param noise standard normal noise, same shape; may be null when {@code t == 0}
     * @param out receives {@code x_prevT}; may be {@code xt} itself, but must not alias {@code v} or {@code noise}
     * @throws IllegalArgumentException for mismatched shapes, invalid timesteps or a missing {@code v} or noise
     */
    public void stepInto(Tensor xt, Tensor eps, Tensor v, int t, int prevT, Tensor noise, Tensor out) {
        checkStep(xt, eps, v, t, prevT, noise, out);
        StepCoefficients c = coefficients(t, prevT);
        float[] x = xt.data();
        float[] e = eps.data();
        float[] o = out.data();
        int n = x.length / batchOf(xt);
        for (int off = 0; off < x.length; off += n) {
            meanInto(x, e, off, n, c, o);
        }
        if (t > 0) {
            addNoise(v == null ? null : v.data(), noise.data(), c, o);
        }
    }

    /** Writes the posterior mean of one sample (elements {@code [off, off + n)}) into {@code o}. */
    private void meanInto(float[] x, float[] e, int off, int n, StepCoefficients c, float[] o) {
        // The threshold needs all of x0_hat, so it is found before o (which may be x) is written.
        float s = threshold(x, e, off, n, c.noiseCoef(), c.invSqrtAlphaBar());
        float lim = spec.thresholding() ? s : Float.POSITIVE_INFINITY;
        for (int i = off; i < off + n; i++) {
            float x0 = DynamicThreshold.x0(x[i], e[i], c.noiseCoef(), c.invSqrtAlphaBar());
            x0 = Math.min(Math.max(x0, -lim), lim) / s;
            o[i] = c.x0Coef() * x0 + c.xtCoef() * x[i];
        }
    }

    /** Adds {@code std * z}: a constant std for the fixed types, Nichol &amp; Dhariwal eq. 15 for learned range. */
    private void addNoise(float[] v, float[] z, StepCoefficients c, float[] o) {
        if (spec.varianceType() != VarianceType.LEARNED_RANGE) {
            float std = c.fixedStd();
            for (int i = 0; i < o.length; i++) {
                o[i] += std * z[i];
            }
            return;
        }
        double minLog = c.minLog();
        double maxLog = c.maxLog();
        for (int i = 0; i < o.length; i++) {
            double frac = (v[i] + 1.0) / 2.0;
            double logVariance = frac * maxLog + (1 - frac) * minLog;
            o[i] += (float) exp(0.5 * logVariance) * z[i];
        }
    }

    /** 32 / ln 2, and ln 2 / 32 split into a high part with trailing zero bits (k * high is exact) and the rest. */
    private static final double K_PER_LN2 = 32 / Math.log(2);

    private static final double LN2_32_HIGH =
            Double.longBitsToDouble(Double.doubleToRawLongBits(Math.log(2) / 32) & 0xffff_ffff_f000_0000L);
    private static final double LN2_32_LOW = Math.log(2) / 32 - LN2_32_HIGH;
    /** 2^(j / 32), j = 0..31. */
    private static final double[] TWO_TO_J_32 = new double[32];

    static {
        for (int j = 0; j < 32; j++) {
            TWO_TO_J_32[j] = Math.pow(2, j / 32.0);
        }
    }

    /**
     * {@code e^x} for the learned-range std, within 1e-10 relative of {@link Math#exp} (far below the float32 the
     * result is rounded to); outside [-700, 700] and for NaN it is {@link Math#exp}. Plain arithmetic, so the
     * per-element loop has no calls in it (Tang's method): {@code e^x = 2^m 2^(j/32) e^g} with {@code k = 32 m + j =
     * round(32 x / ln 2)} and {@code |g| <= ln 2 / 64}, {@code e^g} by its Taylor series to degree 4 (remainder below
     * 2e-12), {@code 2^(j/32)} from a table and {@code 2^m} put straight into the exponent bits. Four dependent
     * multiply-adds instead of the nine a wider reduction needs: this runs for every element of every step.
     */
    static double exp(double x) {
        if (!(Math.abs(x) <= 700)) {
            return Math.exp(x);
        }
        double k = Math.rint(x * K_PER_LN2);
        long n = (long) k;
        double g = (x - k * LN2_32_HIGH) - k * LN2_32_LOW;
        double p = 1 + g * (1 + g * (1.0 / 2 + g * (1.0 / 6 + g * (1.0 / 24))));
        return p * TWO_TO_J_32[(int) (n & 31)] * Double.longBitsToDouble(((n >> 5) + 1023) << 52);
    }

    /**
     * The scalars of one step, computed once.
     *
     * @param noiseCoef {@code sqrt(1 - alpha_bar_t)}
     * @param invSqrtAlphaBar {@code 1 / sqrt(alpha_bar_t)}
     * @param x0Coef {@code sqrt(alpha_bar_prev) beta_t / (1 - alpha_bar_t)}
     * @param xtCoef {@code sqrt(alpha_t) (1 - alpha_bar_prev) / (1 - alpha_bar_t)}
     * @param fixedStd the std of the fixed variance types
     * @param minLog {@code log(max(posterior variance, 1e-20))}
     * @param maxLog {@code log(beta_t)}
     */
    private record StepCoefficients(
            float noiseCoef,
            float invSqrtAlphaBar,
            float x0Coef,
            float xtCoef,
            float fixedStd,
            double minLog,
            double maxLog) {}

    private StepCoefficients coefficients(int t, int prevT) {
        double abar = schedule.alphaCumprod(t);
        double abarPrev = alphaCumprodPrev(prevT);
        double alpha = abar / abarPrev;
        double beta = 1 - alpha;
        // Ho et al. 2020, eq. 7: beta~_t = (1 - alpha_bar_prev) / (1 - alpha_bar_t) beta_t.
        double posterior = Math.max((1 - abarPrev) / (1 - abar) * beta, MIN_VARIANCE);
        double fixed = spec.varianceType() == VarianceType.FIXED_SMALL ? posterior : beta;
        return new StepCoefficients(
                (float) Math.sqrt(1 - abar),
                (float) (1 / Math.sqrt(abar)),
                (float) (Math.sqrt(abarPrev) * beta / (1 - abar)),
                (float) (Math.sqrt(alpha) * (1 - abarPrev) / (1 - abar)),
                (float) Math.sqrt(fixed),
                Math.log(posterior),
                Math.log(beta));
    }

    /** The threshold {@code s} of one sample, or 1 when thresholding is off. */
    private float threshold(float[] x, float[] e, int off, int n, float noiseCoef, float invSqrt) {
        if (!spec.thresholding()) {
            return 1f;
        }
        return DynamicThreshold.scale(
                x, e, off, n, noiseCoef, invSqrt, spec.dynamicThresholdingRatio(), spec.sampleMaxValue());
    }

    private void checkStep(Tensor xt, Tensor eps, Tensor v, int t, int prevT, Tensor noise, Tensor out) {
        Tensor.requireSameShape(xt, eps);
        Tensor.requireSameShape(xt, out);
        batchOf(xt);
        schedule.checkTimestep("t", t);
        if (prevT < -1 || prevT >= t) {
            throw new IllegalArgumentException("prev_t: must be -1 or in [0, " + t + "), got " + prevT);
        }
        if (spec.varianceType() == VarianceType.LEARNED_RANGE) {
            if (v == null) {
                throw new IllegalArgumentException("v: the variance interpolation is required for learned_range");
            }
            Tensor.requireSameShape(xt, v);
        }
        if (t > 0) {
            if (noise == null) {
                throw new IllegalArgumentException("noise: required when t > 0 (t = " + t + ")");
            }
            Tensor.requireSameShape(xt, noise);
        }
    }

    /** B for {@code [B, C, H, W]}, 1 for {@code [C, H, W]}. */
    private static int batchOf(Tensor x) {
        if (x.rank() != 3 && x.rank() != 4) {
            throw new IllegalArgumentException(
                    "sample: expected shape [B, C, H, W] or [C, H, W] but got " + x.shapeString());
        }
        return x.rank() == 4 ? Math.max(x.dim(0), 1) : 1;
    }
}
