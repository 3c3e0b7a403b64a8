package io.campanile.contracts;

import java.util.UUID;

/**
 * An output image of a job, registered in storage.
 *
 * @param imageId the image id served at {@code /v1/images/{imageId}}
 * @param role what the image is, e.g. {@code "original"}, {@code "noisy t=250"}
 * @param ordinal position of the output in the job's output list
 */
public record OutputRef(UUID imageId, String role, int ordinal) {}
