package io.campanile.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The request fields of every job type (besides the common {@code type}, {@code model} and {@code seed}). Names and
 * defaults follow the CS180 writeup and IF-FACTS; the gateway checks the model-dependent bounds (a timestep below the
 * model's T, a class label the model knows, an {@code i_start} inside the timestep list).
 */
public final class JobSchemas {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /** Largest training timestep index of the IF schedules (1000 steps); the model's own T is checked too. */
    public static final double MAX_T = 999;
    /** The prompt of the writeup's denoising and SDEdit experiments. */
    public static final String QUALITY_PROMPT = "a high quality photo";

    private static final ParamSpec IMAGE = spec("image", ParamSpec.Kind.IMAGE, true, null,
            "input image, base64 PNG or JPEG, any size; resized and centre-cropped to the model's size");
    private static final ParamSpec MASK = spec("mask", ParamSpec.Kind.IMAGE, true, null,
            "inpainting mask, base64 PNG or JPEG: white (1) where new content goes, black (0) where the image is kept");
    private static final ParamSpec T_LIST = new ParamSpec("t", ParamSpec.Kind.INT_LIST, false,
            ints(250, 500, 750), 0.0, MAX_T, false, "timesteps to noise the image to");
    private static final ParamSpec KERNEL = new ParamSpec("kernel_size", ParamSpec.Kind.INT, false, F.numberNode(5),
            1.0, 99.0, true, "Gaussian kernel size (odd)");
    private static final ParamSpec SIGMA = new ParamSpec("sigma", ParamSpec.Kind.NUMBER, false, F.numberNode(2.0),
            0.01, 50.0, false, "Gaussian sigma in pixels");
    private static final ParamSpec PROMPT = spec("prompt", ParamSpec.Kind.PROMPT, false, F.textNode(QUALITY_PROMPT),
            "the prompt (T5 models) or class label such as \"7\" (class-conditioned models; default unconditional)");
    private static final ParamSpec NEGATIVE = spec("negative_prompt", ParamSpec.Kind.PROMPT, false, F.textNode(""),
            "the unconditional branch of classifier-free guidance");
    private static final ParamSpec TIMESTEPS = spec("timesteps", ParamSpec.Kind.TIMESTEPS, false, null,
            "denoising timesteps: a name (smart27, smart50, smart100, smart185, fast27, super27, super40, super100) or a"
                    + " strictly decreasing list; default: 990, 960, ..., 0 (stride 30) for T = 1000, every step else");
    private static final ParamSpec UPSCALE = spec("upscale", ParamSpec.Kind.BOOLEAN, false, F.booleanNode(false),
            "also upscale every result with the IF stage-II pack (64 to 256 pixels)");
    private static final ParamSpec UPSCALE_MODEL = spec("upscale_model", ParamSpec.Kind.STRING, false,
            F.textNode("IF-II-L-v1.0"), "the stage-II pack used when upscale is true");

    private static ParamSpec guidance(double dflt) {
        return new ParamSpec("guidance_scale", ParamSpec.Kind.NUMBER, false, F.numberNode(dflt), 0.0, 100.0, false,
                "classifier-free guidance scale; 1 or less turns guidance off (one UNet branch)");
    }

    private static ParamSpec iStart(int dflt) {
        return new ParamSpec("i_start", ParamSpec.Kind.INT, false, F.numberNode(dflt), 0.0, 1000.0, false,
                "index into the timestep list where denoising starts (10 = t 690 on the default list)");
    }

    private static ParamSpec numImages(int dflt) {
        return new ParamSpec("num_images", ParamSpec.Kind.INT, false, F.numberNode(dflt), 1.0, 16.0, false,
                "images to make; each has its own noise, drawn from (seed, image index)");
    }

    private static final Map<JobType, List<ParamSpec>> SPECS = new EnumMap<>(JobType.class);

    static {
        SPECS.put(JobType.FORWARD, List.of(IMAGE, T_LIST));
        SPECS.put(JobType.BLUR_DENOISE, List.of(IMAGE, T_LIST, KERNEL, SIGMA));
        SPECS.put(JobType.ONE_STEP_DENOISE, List.of(IMAGE, T_LIST, PROMPT, guidance(1.0)));
        SPECS.put(JobType.ITERATIVE_DENOISE, List.of(IMAGE, iStart(10), PROMPT, NEGATIVE, guidance(1.0),
                new ParamSpec("show_every", ParamSpec.Kind.INT, false, F.numberNode(5), 1.0, 1000.0, false,
                        "emit every k-th intermediate image"), KERNEL, SIGMA, TIMESTEPS, UPSCALE, UPSCALE_MODEL));
        SPECS.put(JobType.SAMPLE, List.of(PROMPT, NEGATIVE, guidance(7.0), numImages(5), TIMESTEPS, UPSCALE,
                UPSCALE_MODEL));
        SPECS.put(JobType.SDEDIT, List.of(IMAGE, PROMPT, NEGATIVE, guidance(7.0),
                new ParamSpec("i_start", ParamSpec.Kind.INT_LIST, false, ints(1, 3, 5, 7, 10, 20), 0.0, 1000.0,
                        false, "indexes into the timestep list where each edit starts (more = closer to the input)"),
                TIMESTEPS, UPSCALE, UPSCALE_MODEL));
        SPECS.put(JobType.INPAINT, List.of(IMAGE, MASK, PROMPT, NEGATIVE, guidance(7.0),
                new ParamSpec("mode", ParamSpec.Kind.CHOICE, false, F.textNode("repaint"), null, null, false,
                        "repaint: re-noise the kept region to x_t after every step (the course); keep_clean: keep the"
                                + " clean original there (diffusers)", List.of("repaint", "keep_clean")),
                numImages(1), TIMESTEPS, UPSCALE, UPSCALE_MODEL));
        SPECS.put(JobType.ANAGRAM, List.of(
                spec("prompts", ParamSpec.Kind.PROMPT_LIST, true, null, "one prompt per view, two or more"),
                spec("views", ParamSpec.Kind.STRING_LIST, false, strings("identity", "flip"),
                        "a view per prompt: identity, flip, mirror, rot90, rot180, rot270, negate, jigsaw,"
                                + " patch_shuffle_<p>"),
                NEGATIVE, guidance(7.0), numImages(1), TIMESTEPS, UPSCALE, UPSCALE_MODEL));
        SPECS.put(JobType.HYBRID, List.of(
                spec("prompt_low", ParamSpec.Kind.PROMPT, true, null, "the prompt seen from far (low frequencies)"),
                spec("prompt_high", ParamSpec.Kind.PROMPT, true, null, "the prompt seen up close (high frequencies)"),
                new ParamSpec("kernel_size", ParamSpec.Kind.INT, false, F.numberNode(33), 1.0, 99.0, true,
                        "Gaussian low-pass kernel size (odd)"),
                SIGMA, NEGATIVE, guidance(7.0), numImages(1), TIMESTEPS, UPSCALE, UPSCALE_MODEL));
        SPECS.put(JobType.UPSCALE, List.of(IMAGE, PROMPT, NEGATIVE, guidance(4.0),
                new ParamSpec("noise_level", ParamSpec.Kind.INT, false, F.numberNode(250), 0.0, 999.0, false,
                        "how far the upscaled image is noised before conditioning (IF default 250)"),
                spec("timesteps", ParamSpec.Kind.TIMESTEPS, false, F.textNode("smart50"),
                        "stage-II denoising timesteps (default smart50: 50 steps)")));
        SPECS.put(JobType.TRAIN, TrainSchema.FIELDS);
    }

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

    /** Whether jobs of this type run a UNet (and so need a pack with weights installed). */
    public static boolean needsUnet(JobType type) {
        return type != JobType.FORWARD && type != JobType.BLUR_DENOISE && type != JobType.TRAIN;
    }

    static ParamSpec spec(String name, ParamSpec.Kind kind, boolean required, JsonNode dflt, String description) {
        return new ParamSpec(name, kind, required, dflt, null, null, false, description);
    }

    static ArrayNode ints(int... values) {
        ArrayNode a = F.arrayNode();
        for (int v : values) {
            a.add(v);
        }
        return a;
    }

    private static ArrayNode strings(String... values) {
        ArrayNode a = F.arrayNode();
        for (String v : values) {
            a.add(v);
        }
        return a;
    }
}
