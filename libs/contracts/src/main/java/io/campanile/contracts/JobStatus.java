package io.campanile.contracts;

/** The life cycle of a job. SUCCEEDED, FAILED and CANCELLED are terminal: a terminal state never changes. */
public enum JobStatus {
    QUEUED,
    RUNNING,
    SUCCEEDED,
    FAILED,
    CANCELLED;

    /** True for the states a job never leaves. */
    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
