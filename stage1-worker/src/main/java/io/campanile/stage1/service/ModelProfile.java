package io.campanile.stage1.service;

import io.campanile.diffusion.image.ValueRange;
import io.campanile.diffusion.schedule.NoiseSchedule;
import io.campanile.platform.JobFailedException;
import java.util.Map;

/**
 * What the forward and blur operations need of a model: image size, channels, value range and noise schedule.
 * Full model packs (ONNX UNet plus manifest) replace this table when the diffusion engine lands.
 */
public record ModelProfile(String id, int imageSize, int channels, ValueRange range, NoiseSchedule schedule) {

    private static final Map<String, ModelProfile> KNOWN = Map.of(
            "IF-I-XL-v1.0", new ModelProfile("IF-I-XL-v1.0", 64, 3, ValueRange.MINUS_ONE_ONE,
                    NoiseSchedule.ifDefault()));

    /** The profile of a model id, or a job failure naming it. */
    public static ModelProfile of(String id) {
        ModelProfile p = KNOWN.get(id);
        if (p == null) {
            throw new JobFailedException("unknown model '" + id + "' on this worker; known: " + KNOWN.keySet());
        }
        return p;
    }
}
