package io.campanile.platform;

/** A job that cannot succeed, with a reason the user can read (bad input, bad model pack, NaN in the output). */
public class JobFailedException extends RuntimeException {
    public JobFailedException(String reason) {
        super(reason);
    }

    public JobFailedException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
