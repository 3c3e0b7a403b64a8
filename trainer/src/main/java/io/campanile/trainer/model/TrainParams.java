package io.campanile.trainer.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.campanile.contracts.JobType;
import io.campanile.contracts.Json;
import io.campanile.contracts.jobs.Architecture;
import io.campanile.contracts.jobs.JobRequests;
import io.campanile.contracts.jobs.Precision;
import io.campanile.contracts.jobs.TrainRequest;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
 * @param precision {@code precision}, the convolutions' arithmetic (fp32; bf16 is mixed precision)
 */
public record TrainParams(
        Architecture architecture,
        int epochs,
        int batchSize,
        double lr,
        int hiddenDim,
        double sigma,
        int numTimesteps,
        double pUncond,
        int trainSubset,
        long seed,
        double guidanceScale,
        List<Integer> sampleEpochs,
        Precision precision) {

    public TrainParams {
        sampleEpochs = sampleEpochs == null ? List.of() : List.copyOf(sampleEpochs);
        precision = precision == null ? Precision.FP32 : precision;
        UNetSpec.of(architecture, hiddenDim);
    }

    /**
     * The settings of a train job's request (libs/contracts {@code TrainRequest}, whose fields carry the bounds the
     * gateway checked), with the architecture's course value in each field the request left out.
     */
    public static TrainParams of(TrainRequest request, long seed) {
        TrainRequest r = request.withDefaults();
        return new TrainParams(
                r.architecture(),
                r.epochs(),
                r.batchSize(),
                r.lr(),
                r.hiddenDim(),
                r.sigma(),
                r.numTimesteps(),
                r.pUncond(),
                r.trainSubset(),
                seed,
                r.guidanceScale(),
                r.sampleEpochs(),
                r.precision());
    }

    /**
     * The settings of a train job's fields as JSON (the CLI's arguments, tests), checked against the request
     * record's bounds; a bad field is an {@link IllegalArgumentException} naming it.
     */
    public static TrainParams parse(JsonNode params, long seed) {
        ObjectNode fields = params instanceof ObjectNode o ? o : Json.mapper().createObjectNode();
        if (!fields.hasNonNull("architecture")) {
            throw new IllegalArgumentException(
                    "architecture is required: denoiser, time_conditioned or " + "class_conditioned");
        }
        JobRequests.Checked checked = JobRequests.check(JobType.TRAIN, fields, Set.of());
        return of((TrainRequest) JobRequests.read(JobType.TRAIN, checked.params(), Map.of()), seed);
    }

    /** The course's settings for an architecture. */
    public static TrainParams defaults(Architecture a, long seed) {
        return switch (a) {
            case DENOISER ->
                new TrainParams(a, 5, 256, 1e-4, 128, 0.5, 300, 0.1, 0, seed, 5, List.of(1, 5), Precision.FP32);
            case TIME_CONDITIONED, CLASS_CONDITIONED ->
                new TrainParams(a, 20, 128, 1e-3, 64, 0.5, 300, 0.1, 0, seed, 5, List.of(5, 20), Precision.FP32);
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
}
