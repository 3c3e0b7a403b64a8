package io.campanile.contracts;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A worker's report about a job, on {@link Topics#JOB_EVENTS}. Only the fields of its {@code event} are set: made
 * by the named factory of its event ({@link #started}, {@link #progress}, ...), never component by component.
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
 * @param attempt for STARTED and HEARTBEAT: how many times this stage has started the job, this start included
 * @param leaseExpiresAt for STARTED and HEARTBEAT: until when the worker holds the job unless it renews the lease
 * @param preview for PREVIEW: the step and the PNG of the current x0-hat
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
        Map<String, Long> timings,
        Integer attempt,
        Instant leaseExpiresAt,
        Preview preview) {

    public static final String TYPE = "job-event";
    public static final int SCHEMA_VERSION = 1;

    /** The one place a new event is made: a fresh event id, this message type and schema version, now. */
    private static JobEventMessage of(
            UUID jobId,
            JobEventType event,
            String source,
            Progress p,
            OutputRef o,
            String error,
            Map<String, Long> timings,
            Integer attempt,
            Instant leaseExpiresAt,
            Preview preview) {
        return new JobEventMessage(
                UUID.randomUUID(),
                jobId,
                TYPE,
                SCHEMA_VERSION,
                event,
                source,
                Instant.now(),
                p,
                o,
                error,
                timings,
                attempt,
                leaseExpiresAt,
                preview);
    }

    private static JobEventMessage of(
            UUID jobId, JobEventType event, String source, Progress p, OutputRef o, String error) {
        return of(jobId, event, source, p, o, error, null, null, null, null);
    }

    /** SUCCEEDED with the worker's timings. */
    public static JobEventMessage succeeded(UUID jobId, String source, Map<String, Long> timings) {
        return of(jobId, JobEventType.SUCCEEDED, source, null, null, null, timings, null, null, null);
    }

    /** STARTED without a lease (tests, and workers that run a job in one short step). */
    public static JobEventMessage started(UUID jobId, String source) {
        return of(jobId, JobEventType.STARTED, source, null, null, null);
    }

    /** STARTED for the given attempt, holding the job until {@code leaseExpiresAt}. */
    public static JobEventMessage started(UUID jobId, String source, int attempt, Instant leaseExpiresAt) {
        return of(jobId, JobEventType.STARTED, source, null, null, null, null, attempt, leaseExpiresAt, null);
    }

    /** The lease of a running attempt renewed until {@code leaseExpiresAt}. */
    public static JobEventMessage heartbeat(UUID jobId, String source, int attempt, Instant leaseExpiresAt) {
        return of(jobId, JobEventType.HEARTBEAT, source, null, null, null, null, attempt, leaseExpiresAt, null);
    }

    /** The job left this worker for the next stage's queue, named in {@code progress.stage} ("queued for ..."). */
    public static JobEventMessage handedOff(UUID jobId, String source, String topic) {
        return of(jobId, JobEventType.HANDED_OFF, source, new Progress("queued for " + topic, 0, 0), null, null);
    }

    public static JobEventMessage progress(UUID jobId, String source, Progress progress) {
        return of(jobId, JobEventType.PROGRESS, source, progress, null, null);
    }

    /** A live preview (not stored by the gateway). */
    public static JobEventMessage preview(UUID jobId, String source, Preview preview) {
        return of(jobId, JobEventType.PREVIEW, source, null, null, null, null, null, null, preview);
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
