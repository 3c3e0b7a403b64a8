package io.campanile.diffusion.schedule;

/**
 * The configuration of a {@link DdpmScheduler}, mirroring the keys of diffusers' {@code DDPMScheduler} config
 * (epsilon prediction is implied).
 *
 * @param betaSchedule {@code beta_schedule}
 * @param numTrainTimesteps {@code num_train_timesteps}, T, at least 1
 * @param betaStart {@code beta_start} (linear schedules only)
 * @param betaEnd {@code beta_end} (linear schedules only)
 * @param varianceType {@code variance_type}
 * @param thresholding {@code thresholding}: dynamic thresholding of the predicted clean image (Saharia et al. 2022,
 *     "Imagen", section 2.3)
 * @param dynamicThresholdingRatio {@code dynamic_thresholding_ratio}, the quantile of {@code |x0_hat|}, in (0, 1]
 * @param sampleMaxValue {@code sample_max_value}, the upper clamp of the threshold, positive
 */
public record SchedulerSpec(
        BetaSchedule betaSchedule,
        int numTrainTimesteps,
        double betaStart,
        double betaEnd,
        VarianceType varianceType,
        boolean thresholding,
        double dynamicThresholdingRatio,
        double sampleMaxValue) {

    /**
     * @throws IllegalArgumentException naming the key of the first invalid value
     */
    public SchedulerSpec {
        if (betaSchedule == null) {
            throw new IllegalArgumentException("beta_schedule: must not be null");
        }
        if (varianceType == null) {
            throw new IllegalArgumentException("variance_type: must not be null");
        }
        if (numTrainTimesteps < 1) {
            throw new IllegalArgumentException("num_train_timesteps: must be at least 1, got " + numTrainTimesteps);
        }
        if (!(dynamicThresholdingRatio > 0 && dynamicThresholdingRatio <= 1)) {
            throw new IllegalArgumentException(
                    "dynamic_thresholding_ratio: must be in (0, 1], got " + dynamicThresholdingRatio);
        }
        if (!(sampleMaxValue > 0) || Double.isInfinite(sampleMaxValue)) {
            throw new IllegalArgumentException("sample_max_value: must be positive and finite, got " + sampleMaxValue);
        }
    }

    /**
     * DeepFloyd IF stage I: {@code squaredcos_cap_v2}, 1000 steps, {@code learned_range}, thresholding at the 0.95
     * quantile with {@code sample_max_value} 1.5.
     */
    public static SchedulerSpec ifStageI() {
        return new SchedulerSpec(
                BetaSchedule.SQUAREDCOS_CAP_V2,
                NoiseSchedule.IF_TRAIN_STEPS,
                0.0001,
                0.02,
                VarianceType.LEARNED_RANGE,
                true,
                0.95,
                1.5);
    }

    /** DeepFloyd IF stage II: as {@link #ifStageI()} but with {@code sample_max_value} 1.0. */
    public static SchedulerSpec ifStageII() {
        return new SchedulerSpec(
                BetaSchedule.SQUAREDCOS_CAP_V2,
                NoiseSchedule.IF_TRAIN_STEPS,
                0.0001,
                0.02,
                VarianceType.LEARNED_RANGE,
                true,
                0.95,
                1.0);
    }
}
