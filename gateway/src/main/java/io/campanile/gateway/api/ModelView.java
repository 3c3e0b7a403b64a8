package io.campanile.gateway.api;

import io.campanile.packs.ModelPack;
import io.campanile.packs.PackManifest;
import java.util.List;

/**
 * A model pack as {@code GET /v1/models} shows it.
 *
 * @param id the pack id, for a job's {@code model}
 * @param kind unet or text-encoder
 * @param installed whether its ONNX graph is present (a manifest alone lists the pack, but only jobs that need no
 *     network, such as forward, can run on it)
 * @param conditioning t5, class or none
 * @param classLabels the labels a class-conditioned pack accepts as prompts
 */
public record ModelView(String id, String kind, boolean installed, String description, Integer imageSize,
        Integer channels, String valueRange, String conditioning, List<Integer> embeddingShape, String output,
        List<String> classLabels, boolean upscaler, String textEncoder, PackManifest.SchedulerConfig scheduler) {

    static ModelView of(ModelPack p) {
        PackManifest m = p.manifest();
        return new ModelView(m.id(), m.kind(), p.installed(), m.description(), m.imageSize(), m.channels(),
                m.valueRange(), m.conditioning(), m.embeddingShape(), m.output(), m.classLabels(), m.isUpscaler(),
                m.textEncoder(), m.scheduler());
    }
}
