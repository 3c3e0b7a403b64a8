package io.campanile.contracts;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Metadata of an output image held by storage: its PNG and, optionally, its raw float32 tensor (.npy).
 * One image per (job, role): registering the same pair again returns the existing record.
 *
 * @param id image id (assigned by storage; null in a registration request)
 * @param jobId the job that produced it
 * @param role what it is, e.g. {@code "noisy t=250"}
 * @param ordinal position among the job's outputs
 * @param png the quantised PNG blob
 * @param tensor the raw tensor blob (.npy, float32, CHW, in the model's value range), or null
 * @param shape tensor shape, e.g. [3, 64, 64]
 * @param dtype tensor element type, {@code "float32"}
 * @param valueRange the value range of the tensor, e.g. {@code "[-1,1]"}
 * @param createdAt when it was registered
 */
public record StoredImage(UUID id, UUID jobId, String role, int ordinal, BlobRef png, BlobRef tensor,
        List<Integer> shape, String dtype, String valueRange, Instant createdAt) {
}
