package io.campanile.contracts;

import java.time.Instant;
import java.util.UUID;

/** A control command for every worker, on {@link Topics#JOB_CONTROL}; today only cancellation. */
public record JobControlMessage(UUID eventId, UUID jobId, String type, int schemaVersion, Instant issuedAt) {

    public static final String TYPE_CANCEL = "cancel";
    public static final int SCHEMA_VERSION = 1;

    public static JobControlMessage cancel(UUID jobId) {
        return new JobControlMessage(UUID.randomUUID(), jobId, TYPE_CANCEL, SCHEMA_VERSION, Instant.now());
    }
}
