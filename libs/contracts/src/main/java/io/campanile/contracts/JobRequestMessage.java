package io.campanile.contracts;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A job on its way to a worker (topics {@link Topics#WORKER_TOPICS}). Parameters are already validated and
 * defaulted by the gateway; images travel as blob references under their field name ({@code image}, {@code mask}).
 *
 * @param eventId unique id of this message, for idempotent consumers
 * @param jobId the job
 * @param type always {@link #TYPE}
 * @param schemaVersion {@link #SCHEMA_VERSION}
 * @param jobType wire name of the {@link JobType}
 * @param model model pack id
 * @param seed the resolved seed; all randomness of the job derives from it
 * @param params the operation's parameters, defaults filled in
 * @param inputs input blobs by field name
 * @param createdAt when the gateway accepted the job
 * @param embeddings T5 encoder states by prompt text, exactly as the prompt appears in {@code params} ({@code ""} is
 *     the unconditional prompt): NPY blobs of float32 [tokens, width], added by the text encoder; null before it
 * @see #builder()
 */
public record JobRequestMessage(
        UUID eventId,
        UUID jobId,
        String type,
        int schemaVersion,
        String jobType,
        String model,
        long seed,
        ObjectNode params,
        Map<String, BlobRef> inputs,
        Instant createdAt,
        Map<String, BlobRef> embeddings) {

    public static final String TYPE = "job-request";
    public static final int SCHEMA_VERSION = 1;

    /** A new request: build it with named fields; the event id is a fresh one unless set. */
    public static Builder builder() {
        return new Builder();
    }

    /** The same job, as a new message (new event id) carrying these embeddings. */
    public JobRequestMessage withEmbeddings(Map<String, BlobRef> newEmbeddings) {
        return withEmbeddings(UUID.randomUUID(), newEmbeddings);
    }

    /** The same job, as the message with the given event id, carrying these embeddings. */
    public JobRequestMessage withEmbeddings(UUID newEventId, Map<String, BlobRef> newEmbeddings) {
        return new JobRequestMessage(
                newEventId, jobId, type, schemaVersion, jobType, model, seed, params, inputs, createdAt, newEmbeddings);
    }

    /**
     * Builds a {@link JobRequestMessage} of this {@link #TYPE} and {@link #SCHEMA_VERSION} by named fields: the one
     * way to make a new request, so no caller lines up eleven positional arguments. Unset: a fresh event id, no
     * inputs, no embeddings.
     */
    public static final class Builder {
        private UUID eventId;
        private UUID jobId;
        private String jobType;
        private String model;
        private long seed;
        private ObjectNode params;
        private Map<String, BlobRef> inputs = Map.of();
        private Instant createdAt;
        private Map<String, BlobRef> embeddings;

        private Builder() {}

        public Builder eventId(UUID value) {
            this.eventId = value;
            return this;
        }

        public Builder jobId(UUID value) {
            this.jobId = value;
            return this;
        }

        /** The wire name of the {@link JobType}. */
        public Builder jobType(String value) {
            this.jobType = value;
            return this;
        }

        public Builder model(String value) {
            this.model = value;
            return this;
        }

        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        public Builder params(ObjectNode value) {
            this.params = value;
            return this;
        }

        public Builder inputs(Map<String, BlobRef> value) {
            this.inputs = value;
            return this;
        }

        public Builder createdAt(Instant value) {
            this.createdAt = value;
            return this;
        }

        public Builder embeddings(Map<String, BlobRef> value) {
            this.embeddings = value;
            return this;
        }

        public JobRequestMessage build() {
            return new JobRequestMessage(
                    eventId == null ? UUID.randomUUID() : eventId,
                    jobId,
                    TYPE,
                    SCHEMA_VERSION,
                    jobType,
                    model,
                    seed,
                    params,
                    inputs,
                    createdAt,
                    embeddings);
        }
    }
}
