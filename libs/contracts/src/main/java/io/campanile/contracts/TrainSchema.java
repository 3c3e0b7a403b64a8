package io.campanile.contracts;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * Fields of {@code train} jobs (CS180 part B). Their defaults depend on the architecture, so the schema leaves them
 * empty and {@link #fillDefaults} writes the course's values for the chosen architecture into the job.
 */
public final class TrainSchema {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /** The three trainable UNets. */
    public static final List<String> ARCHITECTURES = List.of("denoiser", "time_conditioned", "class_conditioned");

    static final List<ParamSpec> FIELDS = List.of(
            new ParamSpec("architecture", ParamSpec.Kind.CHOICE, false, F.textNode("class_conditioned"), null, null,
                    false, "denoiser (single-step, fixed sigma), time_conditioned or class_conditioned DDPM",
                    ARCHITECTURES),
            num("epochs", ParamSpec.Kind.INT, 1, 1000, "passes over the training set (5 denoiser, 20 DDPM)"),
            num("batch_size", ParamSpec.Kind.INT, 1, 4096, "images per step (256 denoiser, 128 DDPM)"),
            num("lr", ParamSpec.Kind.NUMBER, 1e-7, 1.0, "Adam learning rate (1e-4 denoiser, 1e-3 DDPM)"),
            num("hidden_dim", ParamSpec.Kind.INT, 1, 512, "D, the UNet width (128 denoiser, 64 DDPM)"),
            num("sigma", ParamSpec.Kind.NUMBER, 0.0, 10.0, "noise level of the single-step denoiser (0.5)"),
            num("num_timesteps", ParamSpec.Kind.INT, 2, 10000, "T of the DDPM (300)"),
            num("p_uncond", ParamSpec.Kind.NUMBER, 0.0, 1.0, "probability of dropping the class vector (0.1)"),
            num("train_subset", ParamSpec.Kind.INT, 0, 60000, "train on the first N images only (0 or 60000 = all)"),
            num("guidance_scale", ParamSpec.Kind.NUMBER, 0, 100, "CFG scale of the class-conditioned samples (5)"),
            num("sample_epochs", ParamSpec.Kind.INT_LIST, 1, 1000,
                    "epochs after which figures are drawn; the last epoch always ([1, 5] denoiser, [5, 20] DDPM)"));

    private static final Map<String, List<Integer>> SAMPLE_EPOCHS = Map.of("denoiser", List.of(1, 5),
            "time_conditioned", List.of(5, 20), "class_conditioned", List.of(5, 20));

    private static final Map<String, Map<String, Number>> DEFAULTS = Map.of(
            "denoiser", Map.of("epochs", 5, "batch_size", 256, "lr", 1e-4, "hidden_dim", 128, "sigma", 0.5,
                    "train_subset", 60000),
            "time_conditioned", Map.of("epochs", 20, "batch_size", 128, "lr", 1e-3, "hidden_dim", 64,
                    "num_timesteps", 300, "train_subset", 60000),
            "class_conditioned", Map.of("epochs", 20, "batch_size", 128, "lr", 1e-3, "hidden_dim", 64,
                    "num_timesteps", 300, "p_uncond", 0.1, "train_subset", 60000, "guidance_scale", 5.0));

    private TrainSchema() {
    }

    private static ParamSpec num(String name, ParamSpec.Kind kind, double min, double max, String description) {
        return new ParamSpec(name, kind, false, null, min, max, false, description);
    }

    /** Writes the architecture's course defaults for every field the request left out. */
    public static void fillDefaults(ObjectNode params) {
        String arch = params.path("architecture").asText("class_conditioned");
        DEFAULTS.getOrDefault(arch, Map.of()).forEach((k, v) -> {
            if (!params.hasNonNull(k)) {
                params.set(k, v instanceof Integer i ? F.numberNode(i) : F.numberNode(v.doubleValue()));
            }
        });
        if (!params.hasNonNull("sample_epochs") && SAMPLE_EPOCHS.containsKey(arch)) {
            com.fasterxml.jackson.databind.node.ArrayNode a = params.putArray("sample_epochs");
            SAMPLE_EPOCHS.get(arch).forEach(a::add);
        }
    }
}
