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
 * @see #builder()
 */
public record StoredImage(
        UUID id,
        UUID jobId,
        String role,
        int ordinal,
        BlobRef png,
        BlobRef tensor,
        List<Integer> shape,
        String dtype,
        String valueRange,
        Instant createdAt) {

    /** An image by named fields: a registration (no id, no time) unless {@code id} and {@code createdAt} are set. */
    public static Builder builder() {
        return new Builder();
    }

    /** This registration as storage keeps it: with its id and registration time. */
    public StoredImage registered(UUID newId, Instant registeredAt) {
        return new StoredImage(newId, jobId, role, ordinal, png, tensor, shape, dtype, valueRange, registeredAt);
    }

    /** Builds a {@link StoredImage} by named fields, so no caller lines up ten positional arguments. */
    public static final class Builder {
        private UUID id;
        private UUID jobId;
        private String role;
        private int ordinal;
        private BlobRef png;
        private BlobRef tensor;
        private List<Integer> shape;
        private String dtype;
        private String valueRange;
        private Instant createdAt;

        private Builder() {}

        public Builder id(UUID value) {
            this.id = value;
            return this;
        }

        public Builder jobId(UUID value) {
            this.jobId = value;
            return this;
        }

        public Builder role(String value) {
            this.role = value;
            return this;
        }

        public Builder ordinal(int value) {
            this.ordinal = value;
            return this;
        }

        public Builder png(BlobRef value) {
            this.png = value;
            return this;
        }

        public Builder tensor(BlobRef value) {
            this.tensor = value;
            return this;
        }

        public Builder shape(List<Integer> value) {
            this.shape = value;
            return this;
        }

        public Builder dtype(String value) {
            this.dtype = value;
            return this;
        }

        public Builder valueRange(String value) {
            this.valueRange = value;
            return this;
        }

        public Builder createdAt(Instant value) {
            this.createdAt = value;
            return this;
        }

        public StoredImage build() {
            return new StoredImage(id, jobId, role, ordinal, png, tensor, shape, dtype, valueRange, createdAt);
        }
    }
}
