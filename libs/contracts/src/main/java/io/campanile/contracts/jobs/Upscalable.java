package io.campanile.contracts.jobs;

/** A stage-I request that may hand its results to stage II ({@code upscale: true}). */
public sealed interface Upscalable extends JobRequest
        permits IterativeDenoiseRequest, SampleRequest, SdEditRequest, InpaintRequest, AnagramRequest, HybridRequest {
    /** Whether stage II continues the job. */
    boolean upscale();

    /** The stage-II pack. */
    String upscaleModel();

    /** The sampler, kept for stage II. */
    Sampler sampler();

    /** The unconditional prompt, kept for stage II. */
    String negativePrompt();
}
