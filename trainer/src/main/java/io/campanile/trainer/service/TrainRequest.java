package io.campanile.trainer.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.campanile.trainer.model.Architecture;
import io.campanile.trainer.model.TrainParams;
import java.util.ArrayList;
import java.util.List;

/** Reads a {@code train} job's fields into {@link TrainParams}; a field left out takes the course's default. */
public final class TrainRequest {
    private TrainRequest() {
    }

    public static TrainParams parse(JsonNode params, long seed) {
        JsonNode arch = params == null ? null : params.get("architecture");
        if (arch == null || !arch.isTextual()) {
            throw new IllegalArgumentException("architecture is required: denoiser, time_conditioned or "
                    + "class_conditioned");
        }
        TrainParams d = TrainParams.defaults(Architecture.parse(arch.asText()), seed);
        return new TrainParams(d.architecture(),
                integer(params, "epochs", d.epochs()),
                integer(params, "batch_size", d.batchSize()),
                number(params, "lr", d.lr()),
                integer(params, "hidden_dim", d.hiddenDim()),
                number(params, "sigma", d.sigma()),
                integer(params, "num_timesteps", d.numTimesteps()),
                number(params, "p_uncond", d.pUncond()),
                integer(params, "train_subset", d.trainSubset()),
                seed,
                number(params, "guidance_scale", d.guidanceScale()),
                integers(params, "sample_epochs", d.sampleEpochs()));
    }

    private static int integer(JsonNode p, String name, int dflt) {
        JsonNode v = p.get(name);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.canConvertToInt() || !v.isIntegralNumber()) {
            throw new IllegalArgumentException(name + " must be an integer");
        }
        return v.asInt();
    }

    private static double number(JsonNode p, String name, double dflt) {
        JsonNode v = p.get(name);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isNumber()) {
            throw new IllegalArgumentException(name + " must be a number");
        }
        return v.asDouble();
    }

    private static List<Integer> integers(JsonNode p, String name, List<Integer> dflt) {
        JsonNode v = p.get(name);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isArray()) {
            throw new IllegalArgumentException(name + " must be a list of epochs");
        }
        List<Integer> out = new ArrayList<>();
        v.forEach(n -> out.add(n.asInt()));
        return out;
    }
}
