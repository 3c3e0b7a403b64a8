package io.campanile.contracts.jobs;

import java.util.List;

/**
 * {@code train}: one of the part-B MNIST UNets (CS180 project 5 part B). The defaults depend on the architecture, so
 * the fields have none of their own: {@link #withDefaults} writes the course's values for the chosen architecture.
 */
public record TrainRequest(
        @Param(
                doc = "denoiser (single-step, fixed sigma), time_conditioned or class_conditioned DDPM",
                dflt = "\"class_conditioned\"")
        Architecture architecture,

        @Param(doc = "passes over the training set (5 denoiser, 20 DDPM)", min = 1, max = 1000)
        Integer epochs,

        @Param(doc = "images per step (256 denoiser, 128 DDPM)", min = 1, max = 4096)
        Integer batchSize,

        @Param(doc = "Adam learning rate (1e-4 denoiser, 1e-3 DDPM)", min = 1e-7, max = 1.0)
        Double lr,

        @Param(doc = "D, the UNet width (128 denoiser, 64 DDPM)", min = 1, max = 512)
        Integer hiddenDim,

        @Param(doc = "noise level of the single-step denoiser (0.5)", min = 0, max = 10)
        Double sigma,

        @Param(doc = "T of the DDPM (300)", min = 2, max = 10000)
        Integer numTimesteps,

        @Param(doc = "probability of dropping the class vector (0.1)", min = 0, max = 1)
        Double pUncond,

        @Param(doc = "train on the first N images only (0 or 60000 = all)", min = 0, max = 60000)
        Integer trainSubset,

        @Param(doc = "CFG scale of the class-conditioned samples (5)", min = 0, max = 100)
        Double guidanceScale,

        @Param(
                doc = "epochs after which figures are drawn; the last epoch always ([1, 5] denoiser, [5, 20] DDPM)",
                min = 1,
                max = 1000)
        List<Integer> sampleEpochs,

        @Param(
                doc = "fp32, or bf16: the convolutions in bfloat16 with float32 sums and weights (mixed precision, "
                        + "about 1.5x the speed on CPUs with bfloat16 instructions)",
                dflt = "\"fp32\"")
        Precision precision)
        implements JobRequest {

    /** The course's settings of an architecture. */
    public static TrainRequest course(Architecture a) {
        return switch (a) {
            case DENOISER ->
                new TrainRequest(a, 5, 256, 1e-4, 128, 0.5, 300, 0.1, 60000, 5.0, List.of(1, 5), Precision.FP32);
            case TIME_CONDITIONED, CLASS_CONDITIONED ->
                new TrainRequest(a, 20, 128, 1e-3, 64, 0.5, 300, 0.1, 60000, 5.0, List.of(5, 20), Precision.FP32);
        };
    }

    /** This request with the architecture's course value in every field it left out. */
    @Override
    public TrainRequest withDefaults() {
        Architecture a = architecture == null ? Architecture.CLASS_CONDITIONED : architecture;
        TrainRequest d = course(a);
        return new TrainRequest(
                a,
                or(epochs, d.epochs),
                or(batchSize, d.batchSize),
                or(lr, d.lr),
                or(hiddenDim, d.hiddenDim),
                or(sigma, d.sigma),
                or(numTimesteps, d.numTimesteps),
                or(pUncond, d.pUncond),
                or(trainSubset, d.trainSubset),
                or(guidanceScale, d.guidanceScale),
                or(sampleEpochs, d.sampleEpochs),
                or(precision, d.precision));
    }

    private static <T> T or(T value, T dflt) {
        return value != null ? value : dflt;
    }
}
