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

    /** A request without embeddings (before the text encoder, or for models that take none). */
    public JobRequestMessage(UUID eventId, UUID jobId, String type, int schemaVersion, String jobType, String model,
            long seed, ObjectNode params, Map<String, BlobRef> inputs, Instant createdAt) {
        this(eventId, jobId, type, schemaVersion, jobType, model, seed, params, inputs, createdAt, null);
    }

    /** The same job, as a new message (new event id) carrying these embeddings. */
    public JobRequestMessage withEmbeddings(Map<String, BlobRef> newEmbeddings) {
        return new JobRequestMessage(UUID.randomUUID(), jobId, type, schemaVersion, jobType, model, seed, params,
                inputs, createdAt, newEmbeddings);
    }
}
