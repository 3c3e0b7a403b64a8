package io.campanile.cli;

/**
 * A failure the CLI reports in one line on stderr and answers with its exit code ({@link #USAGE} for a wrong command
 * or a request the gateway refused, {@link #UNAVAILABLE} when the gateway cannot be reached or fails).
 */
public final class CliException extends RuntimeException {
    /** The job failed or was cancelled (submit --wait, watch). */
    public static final int JOB_FAILED = 1;
    /** A wrong command line, or a 4xx answer of the gateway (bad field, unknown job or type). */
    public static final int USAGE = 2;
    /** The gateway could not be reached or answered 5xx. */
    public static final int UNAVAILABLE = 3;
    /** The gateway refused the API key (401: none, unknown or revoked) or the key may not do this (403). */
    public static final int UNAUTHORIZED = 4;

    private final int exitCode;

    public CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public CliException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** A wrong argument, named in the message. */
    public static CliException usage(String message) {
        return new CliException(USAGE, message);
    }

    public int exitCode() {
        return exitCode;
    }
}
