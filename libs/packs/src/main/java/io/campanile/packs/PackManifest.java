package io.campanile.packs;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.campanile.diffusion.image.ValueRange;
import io.campanile.diffusion.schedule.BetaSchedule;
import io.campanile.diffusion.schedule.VarianceType;
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
 * <p>The file's choices are enums written with the file's names ({@link ManifestNames}). A name that is none of them
 * reads as null, so {@link Manifests#validate} names the field with the same message as when it is missing.
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
        Kind kind,
        String onnx,
        @JsonProperty("image_size") Integer imageSize,
        Integer channels,

        @JsonProperty("value_range")
        @JsonSerialize(using = NameJson.ValueRangeWriter.class)
        @JsonDeserialize(using = NameJson.ValueRangeReader.class)
        ValueRange valueRange,

        SchedulerConfig scheduler,
        Conditioning conditioning,
        @JsonProperty("embedding_shape") List<Integer> embeddingShape,
        Output output,
        String tokenizer,
        String description,
        @JsonProperty("class_labels") List<String> classLabels,
        @JsonProperty("text_encoder") String textEncoder,
        Boolean upscaler) {

    /** What the pack's graph is: {@code kind}. */
    public enum Kind {
        UNET("unet"),
        TEXT_ENCODER("text-encoder");

        private final String wireName;

        Kind(String wireName) {
            this.wireName = wireName;
        }

        /** The manifest's name, e.g. {@code text-encoder}. */
        @JsonValue
        public String wireName() {
            return wireName;
        }

        /** The kind the manifest names, or null for any other name (see {@link PackManifest}). */
        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        public static Kind fromWire(String name) {
            return ManifestNames.find(values(), Kind::wireName, name);
        }

        /** The manifest's name, so that messages read as the file does. */
        @Override
        public String toString() {
            return wireName;
        }
    }

    /** What a UNet is conditioned on: {@code conditioning}. */
    public enum Conditioning {
        /** T5 encoder states [tokens, width] ({@code encoder_hidden_states}). */
        T5("t5"),
        /** A one-hot class vector [K] ({@code class_vector}). */
        CLASS("class"),
        /** Nothing: an unconditional UNet. */
        NONE("none");

        private final String wireName;

        Conditioning(String wireName) {
            this.wireName = wireName;
        }

        /** The manifest's name, e.g. {@code t5}. */
        @JsonValue
        public String wireName() {
            return wireName;
        }

        /** The conditioning the manifest names, or null for any other name (see {@link PackManifest}). */
        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        public static Conditioning fromWire(String name) {
            return ManifestNames.find(values(), Conditioning::wireName, name);
        }

        /** The manifest's name, so that messages read as the file does. */
        @Override
        public String toString() {
            return wireName;
        }
    }

    /** What a UNet's {@code out_sample} holds: {@code output}. */
    public enum Output {
        /** The predicted noise, C channels. */
        EPSILON("epsilon"),
        /** The predicted noise and the learned variance's interpolation values, 2C channels. */
        EPSILON_VARIANCE("epsilon_variance");

        private final String wireName;

        Output(String wireName) {
            this.wireName = wireName;
        }

        /** The manifest's name, e.g. {@code epsilon_variance}. */
        @JsonValue
        public String wireName() {
            return wireName;
        }

        /** The output the manifest names, or null for any other name (see {@link PackManifest}). */
        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        public static Output fromWire(String name) {
            return ManifestNames.find(values(), Output::wireName, name);
        }

        /** The manifest's name, so that messages read as the file does. */
        @Override
        public String toString() {
            return wireName;
        }
    }

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
            @JsonProperty("beta_schedule")
            @JsonSerialize(using = NameJson.BetaScheduleWriter.class)
            @JsonDeserialize(using = NameJson.BetaScheduleReader.class)
            BetaSchedule betaSchedule,

            @JsonProperty("num_train_timesteps") Integer numTrainTimesteps,

            @JsonProperty("variance_type")
            @JsonSerialize(using = NameJson.VarianceTypeWriter.class)
            @JsonDeserialize(using = NameJson.VarianceTypeReader.class)
            VarianceType varianceType,

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
    public PackManifest(
            String id,
            Kind kind,
            String onnx,
            Integer imageSize,
            Integer channels,
            ValueRange valueRange,
            SchedulerConfig scheduler,
            Conditioning conditioning,
            List<Integer> embeddingShape,
            Output output,
            String tokenizer,
            String description,
            List<String> classLabels) {
        this(
                id,
                kind,
                onnx,
                imageSize,
                channels,
                valueRange,
                scheduler,
                conditioning,
                embeddingShape,
                output,
                tokenizer,
                description,
                classLabels,
                null,
                null);
    }

    /** Whether this is an IF stage-II style upscaler. */
    public boolean isUpscaler() {
        return Boolean.TRUE.equals(upscaler);
    }

    public boolean isUnet() {
        return kind == Kind.UNET;
    }

    public boolean isTextEncoder() {
        return kind == Kind.TEXT_ENCODER;
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
        return output == Output.EPSILON_VARIANCE ? 2 * channels : channels;
    }
}
