package io.campanile.platform;

/**
 * The job stopped at a step because its worker hands it back (the service stops, or its partition moved to another
 * replica): nothing final is reported, and the job is redelivered to the partition's next owner.
 */
public final class JobHandedBackException extends RuntimeException {
    public JobHandedBackException(String message) {
        super(message, null, false, false);
    }
}
