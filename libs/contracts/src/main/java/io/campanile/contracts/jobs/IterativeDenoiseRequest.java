package io.campanile.contracts.jobs;

import io.campanile.contracts.BlobRef;

/**
 * {@code iterative_denoise}: the DDPM loop from timesteps[i_start], with intermediates and the one-step and blur
 * results beside it.
 */
public record IterativeDenoiseRequest(
        @Param(doc = Docs.IMAGE, required = true) BlobRef image,

        @Param(doc = Docs.I_START, dflt = "10", min = 0, max = 1000)
        int iStart,

        @Param(doc = Docs.PROMPT, dflt = Docs.QUALITY_PROMPT, prompt = true)
        String prompt,

        @Param(doc = Docs.NEGATIVE, dflt = "\"\"", prompt = true)
        String negativePrompt,

        @Param(doc = Docs.GUIDANCE, dflt = "1.0", min = 0, max = 100)
        double guidanceScale,

        @Param(doc = "emit every k-th intermediate image", dflt = "5", min = 1, max = 1000)
        int showEvery,

        @Param(doc = Docs.KERNEL, dflt = "5", min = 1, max = 99, odd = true)
        int kernelSize,

        @Param(doc = Docs.SIGMA, dflt = "2.0", min = 0.01, max = 50)
        double sigma,

        @Param(doc = Docs.TIMESTEPS) TimestepSpec timesteps,

        @Param(doc = Docs.SAMPLER, dflt = Docs.SAMPLER_COURSE)
        Sampler sampler,

        @Param(doc = Docs.UPSCALE, dflt = "false") boolean upscale,

        @Param(doc = Docs.UPSCALE_MODEL, dflt = Docs.UPSCALE_MODEL_DEFAULT)
        String upscaleModel)
        implements Upscalable {}
