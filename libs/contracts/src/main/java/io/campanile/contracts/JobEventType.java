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
    CANCELLED;

    /** The job status an event of this type leads to, or null when it does not change the status by itself. */
    public JobStatus resultingStatus() {
        return switch (this) {
            case STARTED, PROGRESS, OUTPUT -> JobStatus.RUNNING;
            case SUCCEEDED -> JobStatus.SUCCEEDED;
            case FAILED -> JobStatus.FAILED;
            case CANCELLED -> JobStatus.CANCELLED;
        };
    }
}
