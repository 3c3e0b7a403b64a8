package io.campanile.contracts;

import java.time.Instant;
import java.util.UUID;

/**
 * A worker's report about a job, on {@link Topics#JOB_EVENTS}. Only the fields of its {@code event} are set.
 *
 * @param eventId unique id; the gateway applies an event id at most once
 * @param jobId the job
 * @param type always {@link #TYPE}
 * @param schemaVersion {@link #SCHEMA_VERSION}
 * @param event what happened
 * @param source the reporting service instance
 * @param occurredAt when it happened
 * @param progress for PROGRESS
 * @param output for OUTPUT
 * @param error for FAILED: the reason, readable by the user
 * @param timings for SUCCEEDED: where the worker's time went, e.g. run_ms, unet_ms, unet_calls (may be null)
 */
public record JobEventMessage(
        UUID eventId,
        UUID jobId,
        String type,
        int schemaVersion,
        JobEventType event,
        String source,
        Instant occurredAt,
        Progress progress,
        OutputRef output,
        String error,
        java.util.Map<String, Long> timings) {

    public static final String TYPE = "job-event";
    public static final int SCHEMA_VERSION = 1;

    private static JobEventMessage of(UUID jobId, JobEventType event, String source, Progress p, OutputRef o,
            String error) {
        return new JobEventMessage(UUID.randomUUID(), jobId, TYPE, SCHEMA_VERSION, event, source, Instant.now(), p, o,
                error, null);
    }

    /** SUCCEEDED with the worker's timings. */
    public static JobEventMessage succeeded(UUID jobId, String source, java.util.Map<String, Long> timings) {
        return new JobEventMessage(UUID.randomUUID(), jobId, TYPE, SCHEMA_VERSION, JobEventType.SUCCEEDED, source,
                Instant.now(), null, null, null, timings);
    }

    public static JobEventMessage started(UUID jobId, String source) {
        return of(jobId, JobEventType.STARTED, source, null, null, null);
    }

    public static JobEventMessage progress(UUID jobId, String source, Progress progress) {
        return of(jobId, JobEventType.PROGRESS, source, progress, null, null);
    }

    public static JobEventMessage output(UUID jobId, String source, OutputRef output) {
        return of(jobId, JobEventType.OUTPUT, source, null, output, null);
    }

    public static JobEventMessage succeeded(UUID jobId, String source) {
        return of(jobId, JobEventType.SUCCEEDED, source, null, null, null);
    }

    public static JobEventMessage failed(UUID jobId, String source, String error) {
        return of(jobId, JobEventType.FAILED, source, null, null, error);
    }

    public static JobEventMessage cancelled(UUID jobId, String source) {
        return of(jobId, JobEventType.CANCELLED, source, null, null, null);
    }
}
