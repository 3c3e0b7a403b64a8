package io.campanile.stage1.service;

import io.campanile.contracts.BlobRef;
import io.campanile.contracts.JobRequestMessage;
import io.campanile.contracts.JobType;
import io.campanile.contracts.StoredImage;
import io.campanile.contracts.Topics;
import io.campanile.contracts.jobs.JobRequests;
import io.campanile.contracts.jobs.Upscalable;
import io.campanile.contracts.jobs.UpscaleRequest;
import io.campanile.platform.JobContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code upscale: true}: hands the job's 64 px results to the stage-II worker (topic stage2-requests) instead of
 * finishing it. The stage-II job reads each result's raw tensor (its {@code .npy}), keeps the job's T5 embeddings, and
 * runs with IF's stage-II defaults (guidance 4, noise level 250, smart50: {@link UpscaleRequest#handOff}).
 */
public final class Stage2Handoff {

    /** Hands on the results when the job asked for upscaling; otherwise does nothing (stage 1 finishes the job). */
    public void maybeUpscale(JobContext job, Upscalable request, List<StoredImage> results, String prompt) {
        if (!request.upscale()) {
            return;
        }
        JobRequestMessage r = job.request();
        Map<String, BlobRef> inputs = new LinkedHashMap<>();
        results.forEach(img -> inputs.put(img.role(), img.tensor()));
        UpscaleRequest next = UpscaleRequest.handOff(prompt, request.negativePrompt());
        job.continueWith(
                Topics.STAGE2_REQUESTS,
                JobRequestMessage.builder()
                        .jobId(r.jobId())
                        .jobType(JobType.UPSCALE.wireName())
                        .model(request.upscaleModel())
                        .seed(r.seed())
                        .params(JobRequests.params(next))
                        .inputs(inputs)
                        .createdAt(r.createdAt())
                        .embeddings(r.embeddings())
                        .build());
    }
}
