package io.campanile.contracts;

import java.time.Instant;
import java.util.UUID;

/**
 * A message that could not be processed, on {@link Topics#DEAD_LETTERS}.
 *
 * @param jobId the job, when the key or payload named one; else null
 * @param sourceTopic where the message was read
 * @param partition its partition
 * @param offset its offset
 * @param reason why it could not be processed
 * @param payload the raw message value as text
 */
public record DeadLetterMessage(
        UUID eventId,
        UUID jobId,
        String type,
        int schemaVersion,
        String consumer,
        String sourceTopic,
        int partition,
        long offset,
        String reason,
        String payload,
        Instant occurredAt) {

    public static final String TYPE = "dead-letter";
    public static final int SCHEMA_VERSION = 1;
}
