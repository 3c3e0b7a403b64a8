package io.campanile.contracts;

/** What a {@link JobEventMessage} reports. */
public enum JobEventType {
    /** A worker took the job. */
    STARTED,
    /** A step was done; carries {@link Progress}. */
    PROGRESS,
    /** An output image was stored; carries {@link OutputRef}. */
    OUTPUT,
    /** The job finished with all its outputs reported. */
    SUCCEEDED,
    /** The job failed; carries the reason. */
    FAILED,
    /** The job stopped because it was cancelled. */
    CANCELLED,
    /** The worker still runs the job: renews its lease ({@code leaseExpiresAt}) for the same attempt. */
    HEARTBEAT,
    /**
     * The worker handed the job to the next stage's topic (stage 1 to stage-2 upscaling): its lease ends, and the job
     * waits in that queue, still RUNNING, until the next worker reports STARTED.
     */
    HANDED_OFF,
    /**
     * A small PNG of the current x0-hat of the job's first image; carries {@link Preview}. Live only: the gateway
     * keeps the latest in memory and streams it, and never writes it to the database.
     */
    PREVIEW;

    /** The job status an event of this type leads to, or null when it does not change the status by itself. */
    public JobStatus resultingStatus() {
        return switch (this) {
            case STARTED, PROGRESS, OUTPUT, HEARTBEAT, HANDED_OFF, PREVIEW -> JobStatus.RUNNING;
            case SUCCEEDED -> JobStatus.SUCCEEDED;
            case FAILED -> JobStatus.FAILED;
            case CANCELLED -> JobStatus.CANCELLED;
        };
    }
}
