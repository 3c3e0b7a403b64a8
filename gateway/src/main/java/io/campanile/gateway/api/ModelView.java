package io.campanile.gateway.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.campanile.packs.ManifestNames;
import io.campanile.packs.ModelPack;
import io.campanile.packs.PackManifest;
import java.util.List;

/**
 * A model pack as {@code GET /v1/models} shows it. The manifest's choices are shown as the manifest names them
 * (plain strings, so the OpenAPI document shows them as strings too).
 *
 * @param id the pack id, for a job's {@code model}
 * @param kind unet or text-encoder
 * @param installed whether its ONNX graph is present (a manifest alone lists the pack, but only jobs that need no
 *     network, such as forward, can run on it)
 * @param conditioning t5, class or none
 * @param classLabels the labels a class-conditioned pack accepts as prompts
 */
public record ModelView(
        String id,
        String kind,
        boolean installed,
        String description,
        Integer imageSize,
        Integer channels,
        String valueRange,
        String conditioning,
        List<Integer> embeddingShape,
        String output,
        List<String> classLabels,
        boolean upscaler,
        String textEncoder,
        Scheduler scheduler) {

    /** The manifest's scheduler block, with the manifest's names ({@link PackManifest.SchedulerConfig}). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Scheduler(
            @JsonProperty("beta_schedule") String betaSchedule,
            @JsonProperty("num_train_timesteps") Integer numTrainTimesteps,
            @JsonProperty("variance_type") String varianceType,
            Boolean thresholding,
            @JsonProperty("dynamic_thresholding_ratio") Double dynamicThresholdingRatio,
            @JsonProperty("sample_max_value") Double sampleMaxValue,
            @JsonProperty("beta_start") Double betaStart,
            @JsonProperty("beta_end") Double betaEnd) {

        static Scheduler of(PackManifest.SchedulerConfig s) {
            return s == null
                    ? null
                    : new Scheduler(
                            ManifestNames.of(s.betaSchedule()),
                            s.numTrainTimesteps(),
                            ManifestNames.of(s.varianceType()),
                            s.thresholding(),
                            s.dynamicThresholdingRatio(),
                            s.sampleMaxValue(),
                            s.betaStart(),
                            s.betaEnd());
        }
    }

    static ModelView of(ModelPack p) {
        PackManifest m = p.manifest();
        return new ModelView(
                m.id(),
                m.kind().wireName(),
                p.installed(),
                m.description(),
                m.imageSize(),
                m.channels(),
                m.valueRange() == null ? null : ManifestNames.of(m.valueRange()),
                m.conditioning() == null ? null : m.conditioning().wireName(),
                m.embeddingShape(),
                m.output() == null ? null : m.output().wireName(),
                m.classLabels(),
                m.isUpscaler(),
                m.textEncoder(),
                Scheduler.of(m.scheduler()));
    }
}
