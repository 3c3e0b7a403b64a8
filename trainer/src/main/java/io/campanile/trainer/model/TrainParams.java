package io.campanile.trainer.model;

import java.util.List;

/**
 * Settings of a {@code train} job; every field is the request field of the same (snake_case) name. Defaults are the
 * course's (CS180 project 5 part B).
 *
 * @param architecture {@code architecture}
 * @param epochs {@code epochs} (denoiser 5, DDPMs 20)
 * @param batchSize {@code batch_size} (denoiser 256, DDPMs 128)
 * @param lr {@code lr}, Adam learning rate (denoiser 1e-4, DDPMs 1e-3 decayed to 0.1x over the run)
 * @param hiddenDim {@code hidden_dim}, D (denoiser 128, DDPMs 64)
 * @param sigma {@code sigma}, noise level of the denoiser (0.5)
 * @param numTimesteps {@code num_timesteps}, T (300)
 * @param pUncond {@code p_uncond}, probability that a class vector is zeroed (0.1)
 * @param trainSubset {@code train_subset}, number of training images used (0 = all 60000)
 * @param seed the job's seed
 * @param guidanceScale {@code guidance_scale}, CFG scale of the class-conditioned samples (5)
 * @param sampleEpochs {@code sample_epochs}, epochs after which figures are drawn (denoiser 1 and 5, DDPMs 5 and 20)
 */
public record TrainParams(Architecture architecture, int epochs, int batchSize, double lr, int hiddenDim,
        double sigma, int numTimesteps, double pUncond, int trainSubset, long seed, double guidanceScale,
        List<Integer> sampleEpochs) {

    public TrainParams {
        require(epochs >= 1 && epochs <= 1000, "epochs must be in 1..1000");
        require(batchSize >= 1 && batchSize <= 4096, "batch_size must be in 1..4096");
        require(lr > 0 && lr <= 1, "lr must be in (0, 1]");
        require(sigma >= 0 && sigma <= 10, "sigma must be in [0, 10]");
        require(numTimesteps >= 2 && numTimesteps <= 10000, "num_timesteps must be in 2..10000");
        require(pUncond >= 0 && pUncond <= 1, "p_uncond must be in [0, 1]");
        require(trainSubset >= 0, "train_subset must be 0 (all) or positive");
        sampleEpochs = sampleEpochs == null ? List.of() : List.copyOf(sampleEpochs);
        UNetSpec.of(architecture, hiddenDim);
    }

    /** The course's settings for an architecture. */
    public static TrainParams defaults(Architecture a, long seed) {
        return switch (a) {
            case DENOISER -> new TrainParams(a, 5, 256, 1e-4, 128, 0.5, 300, 0.1, 0, seed, 5, List.of(1, 5));
            case TIME_CONDITIONED, CLASS_CONDITIONED ->
                    new TrainParams(a, 20, 128, 1e-3, 64, 0.5, 300, 0.1, 0, seed, 5, List.of(5, 20));
        };
    }

    public UNetSpec spec() {
        return UNetSpec.of(architecture, hiddenDim);
    }

    /** ExponentialLR factor per epoch: 0.1^(1/epochs) for the DDPMs, 1 for the denoiser. */
    public double gammaPerEpoch() {
        return architecture.isDiffusion() ? Math.pow(0.1, 1.0 / epochs) : 1.0;
    }

    /** Whether figures are drawn after this (1-based) epoch: the chosen epochs, and always the last. */
    public boolean drawsAfter(int epoch) {
        return epoch == epochs || sampleEpochs.contains(epoch);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
