package io.campanile.contracts.jobs;

import io.campanile.contracts.BlobRef;
import java.util.List;

/** {@code blur_denoise}: classical denoising, a Gaussian blur of each forward-noised image. */
public record BlurDenoiseRequest(
        @Param(doc = Docs.IMAGE, required = true) BlobRef image,

        @Param(doc = Docs.T_LIST, dflt = "[250, 500, 750]", min = 0, max = JobRequests.MAX_T)
        List<Integer> t,

        @Param(doc = Docs.KERNEL, dflt = "5", min = 1, max = 99, odd = true)
        int kernelSize,

        @Param(doc = Docs.SIGMA, dflt = "2.0", min = 0.01, max = 50)
        double sigma)
        implements JobRequest {}
