package io.campanile.contracts.jobs;

/** {@code hybrid}: hybrid images (factorized diffusion), low frequencies of one prompt, high of another. */
public record HybridRequest(
        @Param(doc = "the prompt seen from far (low frequencies)", required = true, prompt = true)
        String promptLow,

        @Param(doc = "the prompt seen up close (high frequencies)", required = true, prompt = true)
        String promptHigh,

        @Param(doc = "Gaussian low-pass kernel size (odd)", dflt = "33", min = 1, max = 99, odd = true)
        int kernelSize,

        @Param(doc = Docs.SIGMA, dflt = "2.0", min = 0.01, max = 50)
        double sigma,

        @Param(doc = Docs.NEGATIVE, dflt = "\"\"", prompt = true)
        String negativePrompt,

        @Param(doc = Docs.GUIDANCE, dflt = "7.0", min = 0, max = 100)
        double guidanceScale,

        @Param(doc = Docs.NUM_IMAGES, dflt = "1", min = 1, max = 16)
        int numImages,

        @Param(doc = Docs.TIMESTEPS) TimestepSpec timesteps,

        @Param(doc = Docs.SAMPLER, dflt = Docs.SAMPLER_COURSE)
        Sampler sampler,

        @Param(doc = Docs.UPSCALE, dflt = "false") boolean upscale,

        @Param(doc = Docs.UPSCALE_MODEL, dflt = Docs.UPSCALE_MODEL_DEFAULT)
        String upscaleModel)
        implements Upscalable {}
