package io.campanile.packs;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * {@code manifest.json} of a model pack: what a worker needs to drive the ONNX graph next to it. The same schema as
 * {@code deploy/export/packs.py} (MANIFEST_FIELDS), plus optional fields for the trainer's packs.
 *
 * <p>UNet graphs ({@code kind = "unet"}) take {@code sample} float32 [B, C, S, S] (or [B, 2C, S, S] for an IF stage-II
 * upscaler, which also takes {@code class_labels} int64 [B], the noise level), {@code timestep} int64 [B], and by
 * conditioning {@code encoder_hidden_states} float32 [B, tokens, width] ({@code t5}) or {@code class_vector} float32
 * [B, K] ({@code class}: one-hot, all zeros = unconditional); they return {@code out_sample} float32 [B, C or 2C, S,
 * S]. Text-encoder graphs ({@code kind = "text-encoder"}) take {@code input_ids} and {@code attention_mask} int64
 * [B, tokens] and return {@code last_hidden_state} float32 [B, tokens, width].
 *
 * @param id pack id, used as the job's {@code model}
 * @param kind {@code unet} or {@code text-encoder}
 * @param onnx the graph's file name inside the pack folder (its external data sits beside it)
 * @param imageSize S (unet)
 * @param channels C (unet)
 * @param valueRange {@code [-1,1]} or {@code [0,1]} (unet)
 * @param scheduler the DDPM configuration (unet)
 * @param conditioning {@code t5}, {@code class} or {@code none} (unet)
 * @param embeddingShape [tokens, width] of the T5 states, or [1, K] for class conditioning
 * @param output {@code epsilon} or {@code epsilon_variance} (unet)
 * @param tokenizer the SentencePiece model file name inside the pack (text-encoder)
 * @param description free text shown by {@code GET /v1/models}
 * @param classLabels names of the K classes (class conditioning), e.g. "0".."9"
 * @param textEncoder id of the text-encoder pack whose states this UNet takes (t5 conditioning; default: the text
 *     encoder's configured pack)
 * @param upscaler true for an IF stage-II style super-resolution UNet (sample is [x_t | upscaled image] and it takes
 *     class_labels = noise level)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = false)
public record PackManifest(
        String id,
        String kind,
        String onnx,
        @JsonProperty("image_size") Integer imageSize,
        Integer channels,
        @JsonProperty("value_range") String valueRange,
        SchedulerConfig scheduler,
        String conditioning,
        @JsonProperty("embedding_shape") List<Integer> embeddingShape,
        String output,
        String tokenizer,
        String description,
        @JsonProperty("class_labels") List<String> classLabels,
        @JsonProperty("text_encoder") String textEncoder,
        Boolean upscaler) {

    public static final String UNET = "unet";
    public static final String TEXT_ENCODER = "text-encoder";
    public static final String T5 = "t5";
    public static final String CLASS = "class";
    public static final String NONE = "none";
    public static final String EPSILON = "epsilon";
    public static final String EPSILON_VARIANCE = "epsilon_variance";

    /**
     * The DDPM scheduler block.
     *
     * @param betaSchedule {@code squaredcos_cap_v2} or {@code linear}
     * @param numTrainTimesteps T
     * @param varianceType {@code learned_range}, {@code fixed_small} (posterior variance) or {@code fixed_large}
     *     (beta_t, the CS180 part-B loop's sqrt(beta_t) z)
     * @param thresholding dynamic thresholding of x0_hat (diffusers) or none (the CS180 part-A loop)
     * @param dynamicThresholdingRatio quantile of |x0_hat| (0.95 for IF)
     * @param sampleMaxValue upper clamp of the threshold (1.5 stage I, 1.0 stage II)
     * @param betaStart first beta of a linear schedule (default 1e-4)
     * @param betaEnd last beta of a linear schedule (default 0.02)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SchedulerConfig(
            @JsonProperty("beta_schedule") String betaSchedule,
            @JsonProperty("num_train_timesteps") Integer numTrainTimesteps,
            @JsonProperty("variance_type") String varianceType,
            Boolean thresholding,
            @JsonProperty("dynamic_thresholding_ratio") Double dynamicThresholdingRatio,
            @JsonProperty("sample_max_value") Double sampleMaxValue,
            @JsonProperty("beta_start") Double betaStart,
            @JsonProperty("beta_end") Double betaEnd) {

        public double betaStartOrDefault() {
            return betaStart == null ? 1e-4 : betaStart;
        }

        public double betaEndOrDefault() {
            return betaEnd == null ? 0.02 : betaEnd;
        }
    }

    /** A manifest without the optional text_encoder and upscaler fields. */
    public PackManifest(String id, String kind, String onnx, Integer imageSize, Integer channels, String valueRange,
            SchedulerConfig scheduler, String conditioning, List<Integer> embeddingShape, String output,
            String tokenizer, String description, List<String> classLabels) {
        this(id, kind, onnx, imageSize, channels, valueRange, scheduler, conditioning, embeddingShape, output,
                tokenizer, description, classLabels, null, null);
    }

    /** Whether this is an IF stage-II style upscaler. */
    public boolean isUpscaler() {
        return Boolean.TRUE.equals(upscaler);
    }

    public boolean isUnet() {
        return UNET.equals(kind);
    }

    public boolean isTextEncoder() {
        return TEXT_ENCODER.equals(kind);
    }

    /** Tokens of the conditioning (77 for T5, 1 for class conditioning). */
    public int embeddingTokens() {
        return embeddingShape.get(0);
    }

    /** Width of the conditioning (4096 for T5 XXL, K for class conditioning). */
    public int embeddingWidth() {
        return embeddingShape.get(1);
    }

    /** Channels of the UNet's output: C, or 2C with the learned variance. */
    public int outputChannels() {
        return EPSILON_VARIANCE.equals(output) ? 2 * channels : channels;
    }
}
