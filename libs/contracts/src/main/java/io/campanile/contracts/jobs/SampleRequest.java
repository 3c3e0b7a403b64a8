package io.campanile.contracts.jobs;

/** {@code sample}: images from pure noise, with classifier-free guidance. */
public record SampleRequest(
        @Param(doc = Docs.PROMPT, dflt = Docs.QUALITY_PROMPT, prompt = true)
        String prompt,

        @Param(doc = Docs.NEGATIVE, dflt = "\"\"", prompt = true)
        String negativePrompt,

        @Param(doc = Docs.GUIDANCE, dflt = "7.0", min = 0, max = 100)
        double guidanceScale,

        @Param(doc = Docs.NUM_IMAGES, dflt = "5", min = 1, max = 16)
        int numImages,

        @Param(doc = Docs.TIMESTEPS) TimestepSpec timesteps,

        @Param(doc = Docs.NUM_INFERENCE_STEPS, min = 1, max = 1000)
        Integer numInferenceSteps,

        @Param(doc = Docs.SAMPLER + "; default course, or diffusers with num_inference_steps")
        Sampler sampler,

        @Param(doc = Docs.UPSCALE, dflt = "false") boolean upscale,

        @Param(doc = Docs.UPSCALE_MODEL, dflt = Docs.UPSCALE_MODEL_DEFAULT)
        String upscaleModel)
        implements Upscalable {

    @Override
    public SampleRequest withDefaults() {
        TimestepSpec.exclusive(timesteps, numInferenceSteps);
        return new SampleRequest(
                prompt,
                negativePrompt,
                guidanceScale,
                numImages,
                timesteps,
                numInferenceSteps,
                Sampler.defaultFor(sampler, numInferenceSteps),
                upscale,
                upscaleModel);
    }
}
