package io.campanile.contracts.jobs;

import io.campanile.contracts.BlobRef;
import io.campanile.contracts.JobType;

/**
 * The typed fields of a job, one record per {@link JobType}: the one definition from which the
 * gateway validates requests and fills defaults, the OpenAPI schema is generated, and a worker's operation receives
 * its job ({@link JobRequests}). Image fields are {@link BlobRef}s: the gateway stores the
 * uploaded bytes and the job carries their reference.
 */
public sealed interface JobRequest
        permits Upscalable, ForwardRequest, BlurDenoiseRequest, OneStepDenoiseRequest, UpscaleRequest, TrainRequest {

    /** This request with defaults that depend on other fields filled in (train jobs); most types have none. */
    default JobRequest withDefaults() {
        return this;
    }
}
