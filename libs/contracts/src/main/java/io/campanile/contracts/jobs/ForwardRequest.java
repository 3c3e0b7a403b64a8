package io.campanile.contracts.jobs;

import io.campanile.contracts.BlobRef;
import java.util.List;

/** {@code forward}: x_t = sqrt(abar_t) x0 + sqrt(1 - abar_t) eps for each t (DDPM eq. 4). */
public record ForwardRequest(
        @Param(doc = Docs.IMAGE, required = true) BlobRef image,

        @Param(doc = Docs.T_LIST, dflt = "[250, 500, 750]", min = 0, max = JobRequests.MAX_T)
        List<Integer> t)
        implements JobRequest {}
