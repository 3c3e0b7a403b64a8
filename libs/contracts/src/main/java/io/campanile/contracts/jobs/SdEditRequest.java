package io.campanile.contracts.jobs;

import io.campanile.contracts.BlobRef;
import java.util.List;

/** {@code sdedit}: image-to-image; noise the input to timesteps[i_start] and denoise, for each i_start. */
public record SdEditRequest(
        @Param(doc = Docs.IMAGE, required = true) BlobRef image,

        @Param(doc = Docs.PROMPT, dflt = Docs.QUALITY_PROMPT, prompt = true)
        String prompt,

        @Param(doc = Docs.NEGATIVE, dflt = "\"\"", prompt = true)
        String negativePrompt,

        @Param(doc = Docs.GUIDANCE, dflt = "7.0", min = 0, max = 100)
        double guidanceScale,

        @Param(
                doc = "indexes into the timestep list where each edit starts (more = closer to the input)",
                dflt = "[1, 3, 5, 7, 10, 20]",
                min = 0,
                max = 1000)
        List<Integer> iStart,

        @Param(doc = Docs.TIMESTEPS) TimestepSpec timesteps,

        @Param(doc = Docs.SAMPLER, dflt = Docs.SAMPLER_COURSE)
        Sampler sampler,

        @Param(doc = Docs.UPSCALE, dflt = "false") boolean upscale,

        @Param(doc = Docs.UPSCALE_MODEL, dflt = Docs.UPSCALE_MODEL_DEFAULT)
        String upscaleModel)
        implements Upscalable {}
