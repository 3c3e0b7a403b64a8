package io.campanile.platform;

/** Thrown by {@link JobContext#checkCancelled()} when the job was cancelled; the worker reports CANCELLED. */
public class JobCancelledException extends RuntimeException {
    public JobCancelledException(String jobId) {
        super("job " + jobId + " was cancelled");
    }
}
