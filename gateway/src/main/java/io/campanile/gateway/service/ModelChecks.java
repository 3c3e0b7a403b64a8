package io.campanile.gateway.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.campanile.contracts.JobType;
import io.campanile.contracts.jobs.JobRequests;
import io.campanile.contracts.jobs.ParamSpec;
import io.campanile.diffusion.schedule.Timesteps;
import io.campanile.diffusion.views.Views;
import io.campanile.packs.ModelPack;
import io.campanile.packs.PackManifest;
import io.campanile.packs.PackManifest.Conditioning;
import java.util.ArrayList;
import java.util.List;

/**
 * The checks that depend on the job's model pack: a UNet with weights for the types that run one, timesteps below
 * the pack's T, {@code i_start} inside the timestep list, prompts that a class-conditioned pack knows, a view per
 * prompt. Each failure is a 400 naming the field.
 */
final class ModelChecks {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private ModelChecks() {}

    static void check(JobType type, ModelPack pack, ObjectNode params, PackCatalog catalog) {
        PackManifest m = pack.manifest();
        if (!m.isUnet()) {
            throw new InvalidRequestException("model", "model '" + m.id() + "' is a " + m.kind() + ", not a UNet");
        }
        if (type.needsUnet() && !pack.installed()) {
            throw new InvalidRequestException(
                    "model",
                    "model '" + m.id() + "' has no weights installed here (" + m.onnx()
                            + " is missing from its pack folder); see docs/deploy.md for exporting IF packs");
        }
        if (type == JobType.UPSCALE != m.isUpscaler() && type.needsUnet()) {
            throw new InvalidRequestException(
                    "model",
                    type == JobType.UPSCALE
                            ? "model '" + m.id() + "' is not a stage-II upscaler"
                            : "model '" + m.id() + "' is a stage-II upscaler: use it with type upscale");
        }
        int maxT = m.scheduler().numTrainTimesteps() - 1;
        if (params.has("t")) {
            ArrayNode ts = (ArrayNode) params.get("t");
            for (int i = 0; i < ts.size(); i++) {
                if (ts.get(i).asInt() > maxT) {
                    throw new InvalidRequestException(
                            "t[" + i + "]",
                            "'t[" + i + "]' is " + ts.get(i).asInt() + ", outside [0, " + maxT + "] for model "
                                    + m.id());
                }
            }
        }
        int steps = timestepCount(params.get("timesteps"), m.scheduler().numTrainTimesteps());
        checkIStart(params.get("i_start"), steps);
        inferenceSteps(params.get("num_inference_steps"), m.scheduler().numTrainTimesteps());
        prompts(type, m, params);
        if (type == JobType.ANAGRAM || (type == JobType.UPSCALE && params.has("views"))) {
            views(params);
        }
        if (params.path("upscale").asBoolean(false)) {
            if (m.conditioning() != Conditioning.T5) {
                throw new InvalidRequestException(
                        "upscale",
                        "upscaling runs IF stage II, which reads the job's T5" + " prompt states: model '" + m.id()
                                + "' is conditioned on " + m.conditioning());
            }
            ModelPack up = catalog.require(
                    "upscale_model", params.path("upscale_model").asText());
            if (!up.manifest().isUpscaler() || !up.installed()) {
                throw new InvalidRequestException(
                        "upscale_model", "model '" + up.id() + "' is not an installed stage-II upscaler");
            }
        }
    }

    /** How many denoising steps the job's timestep setting means (a 400 naming the field when it is invalid). */
    private static int timestepCount(JsonNode timesteps, int numTrain) {
        try {
            if (timesteps == null || timesteps.isNull()) {
                return Timesteps.courseDefault(numTrain).length;
            }
            if (timesteps.isTextual()) {
                int[] named = Timesteps.named(timesteps.asText());
                if (named[0] >= numTrain) {
                    throw new IllegalArgumentException("timesteps: '" + timesteps.asText() + "' starts at " + named[0]
                            + ", beyond this model's T = " + numTrain);
                }
                return named.length;
            }
            List<Integer> list = new ArrayList<>();
            timesteps.forEach(n -> list.add(n.asInt()));
            return Timesteps.of(list, numTrain).length;
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("timesteps", e.getMessage());
        }
    }

    /** diffusers spaces N steps over the model's T, so N may not exceed T. */
    private static void inferenceSteps(JsonNode n, int numTrain) {
        if (n != null && n.asInt() > numTrain) {
            throw new InvalidRequestException(
                    "num_inference_steps",
                    "'num_inference_steps' is " + n.asInt() + ", more than this model's T = " + numTrain);
        }
    }

    private static void checkIStart(JsonNode iStart, int steps) {
        if (iStart == null) {
            return;
        }
        List<JsonNode> values = new ArrayList<>();
        if (iStart.isArray()) {
            iStart.forEach(values::add);
        } else {
            values.add(iStart);
        }
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i).asInt() >= steps) {
                String field = iStart.isArray() ? "i_start[" + i + "]" : "i_start";
                throw new InvalidRequestException(
                        field,
                        "'" + field + "' is " + values.get(i).asInt() + ", but the timestep list has " + steps
                                + " entries (0 to " + (steps - 1) + ")");
            }
        }
    }

    /** Class-conditioned packs take their labels (or "" for unconditional); their prompts default to "". */
    private static void prompts(JobType type, PackManifest m, ObjectNode params) {
        boolean t5 = m.conditioning() == Conditioning.T5;
        for (ParamSpec spec : JobRequests.fields(type)) {
            JsonNode v = params.get(spec.name());
            if (!spec.isPrompt() || v == null) {
                continue;
            }
            if (!t5 && spec.kind() == ParamSpec.Kind.PROMPT && !spec.required() && v.equals(spec.defaultValue())) {
                params.set(spec.name(), F.textNode("")); // the T5 default prompt means "unconditional" here
                continue;
            }
            if (m.conditioning() == Conditioning.CLASS) {
                if (v.isArray()) {
                    for (int i = 0; i < v.size(); i++) {
                        label(m, spec.name() + "[" + i + "]", v.get(i).asText());
                    }
                } else {
                    label(m, spec.name(), v.asText());
                }
            }
        }
    }

    private static void label(PackManifest m, String field, String value) {
        List<String> labels = m.classLabels() != null ? m.classLabels() : defaultLabels(m.embeddingWidth());
        if (!value.isEmpty() && !labels.contains(value)) {
            throw new InvalidRequestException(
                    field,
                    "'" + field + "' is '" + value + "'; model " + m.id() + " is class-conditioned: use one of "
                            + String.join(", ", labels) + " (or \"\" for none)");
        }
    }

    static List<String> defaultLabels(int k) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            out.add(String.valueOf(i));
        }
        return out;
    }

    private static void views(ObjectNode params) {
        JsonNode views = params.get("views");
        int prompts = params.get("prompts").size();
        if (views.size() != prompts) {
            throw new InvalidRequestException(
                    "views", "'views' has " + views.size() + " entries; give one view per prompt (" + prompts + ")");
        }
        for (int i = 0; i < views.size(); i++) {
            try {
                Views.parse(views.get(i).asText());
            } catch (IllegalArgumentException e) {
                throw new InvalidRequestException("views[" + i + "]", e.getMessage());
            }
        }
    }
}
