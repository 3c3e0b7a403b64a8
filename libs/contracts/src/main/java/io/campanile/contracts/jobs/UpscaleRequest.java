package io.campanile.contracts.jobs;

import io.campanile.contracts.BlobRef;

/**
 * {@code upscale}: IF stage II super-resolution, 64 to 256 pixels. A stage-I job handed on with {@code upscale: true}
 * arrives as this type too, with no {@code image} and its results as the inputs.
 */
public record UpscaleRequest(
        @Param(doc = Docs.IMAGE, required = true) BlobRef image,

        @Param(doc = Docs.PROMPT, dflt = Docs.QUALITY_PROMPT, prompt = true)
        String prompt,

        @Param(doc = Docs.NEGATIVE, dflt = "\"\"", prompt = true)
        String negativePrompt,

        @Param(doc = Docs.GUIDANCE, dflt = "4.0", min = 0, max = 100)
        double guidanceScale,

        @Param(
                doc = "how far the upscaled image is noised before conditioning (IF default 250)",
                dflt = "250",
                min = 0,
                max = 999)
        int noiseLevel,

        @Param(doc = "stage-II denoising timesteps (default smart50: 50 steps)", dflt = "\"smart50\"")
        TimestepSpec timesteps)
        implements JobRequest {

    /** The stage-II request that continues a stage-I job with IF's stage-II defaults, keeping its prompts. */
    public static UpscaleRequest handOff(String prompt, String negativePrompt) {
        UpscaleRequest d = JobRequests.defaults(UpscaleRequest.class);
        return new UpscaleRequest(null, prompt, negativePrompt, d.guidanceScale(), d.noiseLevel(), d.timesteps());
    }
}
