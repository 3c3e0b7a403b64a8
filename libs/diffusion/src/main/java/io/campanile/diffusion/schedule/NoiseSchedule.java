package io.campanile.diffusion.schedule;

/**
 * The per-timestep tables of a DDPM noise schedule: {@code beta_t} and {@code alpha_bar_t = prod_{s<=t} (1 -
 * beta_s)} (Ho et al. 2020, section 2, notation above eq. 4). Immutable and computed once.
 *
 * <p>Values follow diffusers' {@code DDPMScheduler}, which keeps {@code betas}, {@code alphas = 1 - betas} and
 * {@code alphas_cumprod} as float32 tensors: betas are rounded to float32, {@code 1 - beta} is taken in float32, the
 * cumulative product is accumulated in double (as torch does on the CPU) and each product is rounded to float32.
 * Timesteps are 0-based: {@code t} in {@code [0, numTrainSteps - 1]}.
 */
public final class NoiseSchedule {

    /** DeepFloyd IF's training length (both stages). */
    public static final int IF_TRAIN_STEPS = 1000;

    private final BetaSchedule kind;
    private final double[] betas;
    private final double[] alphasCumprod;

    private NoiseSchedule(BetaSchedule kind, double[] betas, double[] alphasCumprod) {
        this.kind = kind;
        this.betas = betas;
        this.alphasCumprod = alphasCumprod;
    }

    /**
     * Builds the tables for a schedule.
     *
     * @param kind the beta schedule
     * @param numTrainSteps T, at least 1
     * @param betaStart first beta (ignored by {@link BetaSchedule#SQUAREDCOS_CAP_V2})
     * @param betaEnd last beta (ignored by {@link BetaSchedule#SQUAREDCOS_CAP_V2})
     */
    public static NoiseSchedule of(BetaSchedule kind, int numTrainSteps, double betaStart, double betaEnd) {
        double[] raw = kind.betas(numTrainSteps, betaStart, betaEnd);
        double[] betas = new double[numTrainSteps];
        double[] alphasCumprod = new double[numTrainSteps];
        double product = 1.0;
        for (int t = 0; t < numTrainSteps; t++) {
            float beta = (float) raw[t];
            float alpha = 1.0f - beta;
            product *= alpha;
            betas[t] = beta;
            alphasCumprod[t] = (float) product;
        }
        return new NoiseSchedule(kind, betas, alphasCumprod);
    }

    /** The schedule of both DeepFloyd IF stages: {@code squaredcos_cap_v2} with 1000 training steps. */
    public static NoiseSchedule ifDefault() {
        return of(BetaSchedule.SQUAREDCOS_CAP_V2, IF_TRAIN_STEPS, 0.0001, 0.02);
    }

    /** The beta schedule these tables were built from. */
    public BetaSchedule kind() {
        return kind;
    }

    /** T, the number of training timesteps. */
    public int numTrainSteps() {
        return betas.length;
    }

    /** {@code beta_t} (float32-rounded). */
    public double beta(int t) {
        return betas[index("t", t)];
    }

    /** {@code alpha_bar_t = prod_{s<=t} (1 - beta_s)} (float32-rounded), the signal fraction of DDPM eq. 4. */
    public double alphaCumprod(int t) {
        return alphasCumprod[index("t", t)];
    }

    /**
     * Checks that {@code t} is a valid timestep.
     *
     * @param field the name of the setting that holds {@code t}, used in the message
     * @throws IllegalArgumentException naming {@code field} when {@code t} is outside {@code [0, T - 1]}
     */
    public void checkTimestep(String field, int t) {
        if (t < 0 || t >= betas.length) {
            throw new IllegalArgumentException(
                    field + ": timestep " + t + " is outside [0, " + (betas.length - 1) + "]");
        }
    }

    private int index(String field, int t) {
        checkTimestep(field, t);
        return t;
    }
}
