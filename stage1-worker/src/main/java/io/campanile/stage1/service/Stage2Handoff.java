package io.campanile.stage1.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.campanile.contracts.BlobRef;
import io.campanile.contracts.JobRequestMessage;
import io.campanile.contracts.JobSchemas;
import io.campanile.contracts.JobType;
import io.campanile.contracts.Json;
import io.campanile.contracts.StoredImage;
import io.campanile.contracts.Topics;
import io.campanile.platform.JobContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code upscale: true}: hands the job's 64 px results to the stage-II worker (topic stage2-requests) instead of
 * finishing it. The stage-II job reads each result's raw tensor (its {@code .npy}), keeps the job's T5 embeddings, and
 * runs with IF's stage-II defaults (guidance 4, noise level 250, smart50).
 */
public final class Stage2Handoff {

    /** Hands on the results when the job asked for upscaling; otherwise does nothing (stage 1 finishes the job). */
    public void maybeUpscale(JobContext job, List<StoredImage> results, String prompt) {
        JobRequestMessage r = job.request();
        if (!r.params().path("upscale").asBoolean(false)) {
            return;
        }
        Map<String, BlobRef> inputs = new LinkedHashMap<>();
        results.forEach(img -> inputs.put(img.role(), img.tensor()));
        ObjectNode params = Json.mapper().createObjectNode();
        params.put("prompt", prompt);
        params.put("negative_prompt", r.params().path("negative_prompt").asText(""));
        params.set("guidance_scale", JobSchemas.defaultOf(JobType.UPSCALE, "guidance_scale"));
        params.set("noise_level", JobSchemas.defaultOf(JobType.UPSCALE, "noise_level"));
        params.set("timesteps", JobSchemas.defaultOf(JobType.UPSCALE, "timesteps"));
        JobRequestMessage next = JobRequestMessage.builder().jobId(r.jobId()).jobType(JobType.UPSCALE.wireName())
                .model(r.params().path("upscale_model").asText()).seed(r.seed()).params(params).inputs(inputs)
                .createdAt(r.createdAt()).embeddings(r.embeddings()).build();
        job.continueWith(Topics.STAGE2_REQUESTS, next);
    }
}
