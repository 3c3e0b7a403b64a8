package io.campanile.gateway.api;

/**
 * An error the client can act on, answered as {@code application/problem+json} (RFC 9457) with the offending
 * field named when there is one.
 */
public class ApiProblem extends RuntimeException {
    private final int status;
    private final String title;
    private final String field;
    private final String limit;
    private final long retryAfterSeconds;

    public ApiProblem(int status, String title, String field, String detail) {
        this(status, title, field, detail, null, 0);
    }

    private ApiProblem(int status, String title, String field, String detail, String limit, long retryAfterSeconds) {
        super(detail);
        this.status = status;
        this.title = title;
        this.field = field;
        this.limit = limit;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** 400: a request field is missing or wrong. */
    public static ApiProblem badField(String field, String detail) {
        return new ApiProblem(400, "Invalid request", field, detail);
    }

    public static ApiProblem notFound(String detail) {
        return new ApiProblem(404, "Not found", null, detail);
    }

    public static ApiProblem conflict(String field, String detail) {
        return new ApiProblem(409, "Conflict", field, detail);
    }

    /** 401: no API key, or one that is unknown or revoked (answered with {@code WWW-Authenticate: Bearer}). */
    public static ApiProblem unauthorized(String detail) {
        return new ApiProblem(401, "Unauthorized", null, detail);
    }

    /** 403: the key is valid but may not do this (an admin endpoint). */
    public static ApiProblem forbidden(String detail) {
        return new ApiProblem(403, "Forbidden", null, detail);
    }

    /**
     * 429: a limit of the caller's tenant is reached; the body names the limit ({@code "limit"}, the property under
     * {@code campanile.gateway.limits.*}) and {@code Retry-After} says when to try again.
     */
    public static ApiProblem tooManyRequests(String limit, long retryAfterSeconds, String detail) {
        return new ApiProblem(429, "Too many requests", null, detail, limit, retryAfterSeconds);
    }

    public static ApiProblem unavailable(String detail) {
        return new ApiProblem(503, "Service unavailable", null, detail);
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String field() {
        return field;
    }

    /** The limit a 429 names, or null. */
    public String limit() {
        return limit;
    }

    /** Seconds a 429 asks the client to wait. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
