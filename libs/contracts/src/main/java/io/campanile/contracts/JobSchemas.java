package io.campanile.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.List;
import java.util.Map;

/** The request fields of every job type (besides the common {@code type}, {@code model} and {@code seed}). */
public final class JobSchemas {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /** Largest training timestep index of the IF schedules (1000 steps). */
    public static final double MAX_T = 999;

    private static final ParamSpec IMAGE = new ParamSpec("image", ParamSpec.Kind.IMAGE, true, null, null, null, false,
            "input image, base64 PNG or JPEG, any size; resized and centre-cropped to the model's size");
    private static final ParamSpec T_LIST = new ParamSpec("t", ParamSpec.Kind.INT_LIST, false,
            F.arrayNode().add(250).add(500).add(750), 0.0, MAX_T, false, "timesteps to noise the image to");
    private static final ParamSpec KERNEL = new ParamSpec("kernel_size", ParamSpec.Kind.INT, false, F.numberNode(5),
            1.0, 99.0, true, "Gaussian kernel size (odd)");
    private static final ParamSpec SIGMA = new ParamSpec("sigma", ParamSpec.Kind.NUMBER, false, F.numberNode(2.0),
            0.01, 50.0, false, "Gaussian sigma in pixels");

    private static final Map<JobType, List<ParamSpec>> SPECS = Map.of(
            JobType.FORWARD, List.of(IMAGE, T_LIST),
            JobType.BLUR_DENOISE, List.of(IMAGE, T_LIST, KERNEL, SIGMA));

    private JobSchemas() {
    }

    /** The fields of a job type, in documentation order. */
    public static List<ParamSpec> fields(JobType type) {
        return SPECS.getOrDefault(type, List.of());
    }

    /** The default of a field, or null. */
    public static JsonNode defaultOf(JobType type, String field) {
        return fields(type).stream().filter(p -> p.name().equals(field)).findFirst()
                .map(ParamSpec::defaultValue).orElse(null);
    }
}
