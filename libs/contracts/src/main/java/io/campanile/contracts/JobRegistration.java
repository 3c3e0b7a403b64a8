package io.campanile.contracts;

import java.util.List;

/**
 * The gateway's registration of a job with storage ({@code POST /internal/jobs/{jobId}}): the tenant that owns it, and
 * the input blobs it holds, which storage keeps until the job is deleted.
 *
 * @param tenant the tenant of the key that submitted the job
 * @param inputs SHA-256 addresses of the job's input blobs (images, masks); may be empty
 */
public record JobRegistration(String tenant, List<String> inputs) {}
