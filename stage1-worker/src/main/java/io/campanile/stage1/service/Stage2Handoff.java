package io.campanile.stage1.service;

import io.campanile.contracts.BlobRef;
import io.campanile.contracts.JobRequestMessage;
import io.campanile.contracts.JobType;
import io.campanile.contracts.StoredImage;
import io.campanile.contracts.Topics;
import io.campanile.contracts.jobs.JobRequests;
import io.campanile.contracts.jobs.Upscalable;
import io.campanile.contracts.jobs.UpscaleRequest;
import io.campanile.contracts.jobs.UpscaleRequest.IllusionSpec;
import io.campanile.platform.JobContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code upscale: true}: hands the job's 64 px results to the stage-II worker (topic stage2-requests) instead of
 * finishing it. The stage-II job reads each result's raw tensor (its {@code .npy}), keeps the job's T5 embeddings, and
 * runs with IF's stage-II defaults (guidance 4, noise level 250, smart50: {@link UpscaleRequest#handOff}), the job's
 * sampler, and for anagrams and hybrids their branches at noise level 50 (visual_anagrams' stage II).
 */
public final class Stage2Handoff {

    /**
     * Hands on the results when the job asked for upscaling; otherwise does nothing (stage 1 finishes the job).
     *
     * @param numInferenceSteps the job's diffusers step count, which stage II runs too; null for its default list
     * @param illusion the anagram's or hybrid's branches, which stage II keeps at its resolution
     */
    public void maybeUpscale(
            JobContext job,
            Upscalable request,
            List<StoredImage> results,
            String prompt,
            Integer numInferenceSteps,
            IllusionSpec illusion) {
        if (!request.upscale()) {
            return;
        }
        JobRequestMessage r = job.request();
        Map<String, BlobRef> inputs = new LinkedHashMap<>();
        results.forEach(img -> inputs.put(img.role(), img.tensor()));
        UpscaleRequest next = UpscaleRequest.handOff(
                prompt, request.negativePrompt(), request.sampler(), numInferenceSteps, illusion);
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
