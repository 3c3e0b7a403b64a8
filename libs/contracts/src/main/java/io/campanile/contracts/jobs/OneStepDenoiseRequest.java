package io.campanile.contracts.jobs;

import io.campanile.contracts.BlobRef;
import java.util.List;

/** {@code one_step_denoise}: one UNet call per t, the clean-image estimate x0_hat from x_t. */
public record OneStepDenoiseRequest(
        @Param(doc = Docs.IMAGE, required = true) BlobRef image,

        @Param(doc = Docs.T_LIST, dflt = "[250, 500, 750]", min = 0, max = JobRequests.MAX_T)
        List<Integer> t,

        @Param(doc = Docs.PROMPT, dflt = Docs.QUALITY_PROMPT, prompt = true)
        String prompt,

        @Param(doc = Docs.GUIDANCE, dflt = "1.0", min = 0, max = 100)
        double guidanceScale,

        @Param(doc = Docs.SAMPLER, dflt = Docs.SAMPLER_COURSE)
        Sampler sampler)
        implements JobRequest {}
