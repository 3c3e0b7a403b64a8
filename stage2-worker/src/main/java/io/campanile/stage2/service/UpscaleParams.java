package io.campanile.stage2.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.campanile.diffusion.schedule.Timesteps;
import io.campanile.engine.LoadedPack;
import io.campanile.platform.JobContext;
import io.campanile.platform.JobFailedException;
import io.campanile.stage2.engine.UpscaleSettings;
import java.util.ArrayList;
import java.util.List;

/** The stage-II settings of an upscale job from its parameters (the gateway or stage 1 filled in the defaults). */
final class UpscaleParams {
    /** IF's stage-II default list, for a job that names none. */
    static final String DEFAULT_TIMESTEPS = "smart50";

    private UpscaleParams() {
    }

    static UpscaleSettings of(JobContext job, LoadedPack p) {
        return new UpscaleSettings(timesteps(job, p), job.intParam("noise_level"), job.doubleParam("guidance_scale"),
                text(job, "prompt"), text(job, "negative_prompt"));
    }

    /** The {@code timesteps} field: a list name (smart50, ...) or an explicit list. */
    static int[] timesteps(JobContext job, LoadedPack p) {
        JsonNode node = job.request().params().get("timesteps");
        try {
            if (node == null || node.isNull()) {
                return Timesteps.named(DEFAULT_TIMESTEPS);
            }
            if (node.isTextual()) {
                return Timesteps.named(node.asText());
            }
            List<Integer> list = new ArrayList<>();
            node.forEach(n -> list.add(n.asInt()));
            return Timesteps.of(list, p.scheduler().schedule().numTrainSteps());
        } catch (IllegalArgumentException e) {
            throw new JobFailedException(e.getMessage());
        }
    }

    static String text(JobContext job, String name) {
        JsonNode v = job.request().params().get(name);
        return v == null || v.isNull() ? "" : v.asText();
    }
}
