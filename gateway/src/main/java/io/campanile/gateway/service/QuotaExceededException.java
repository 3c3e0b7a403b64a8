package io.campanile.gateway.service;

/**
 * A submission over one of its tenant's quotas. The API answers 429 with {@code Retry-After} and the limit's name.
 */
public class QuotaExceededException extends RuntimeException {
    private final String limit;
    private final long retryAfterSeconds;

    /**
     * @param limit the limit's name: {@code jobs-in-flight}, {@code submissions-per-minute} or {@code stored-bytes}
     * @param retryAfterSeconds when a retry may succeed, in seconds (1 or more)
     */
    public QuotaExceededException(String limit, String detail, long retryAfterSeconds) {
        super(detail);
        this.limit = limit;
        this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
    }

    public String limit() {
        return limit;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
