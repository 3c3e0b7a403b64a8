package io.campanile.gateway.api;

/**
 * An error the client can act on, answered as {@code application/problem+json} (RFC 9457) with the offending
 * field named when there is one.
 */
public class ApiProblem extends RuntimeException {
    private final int status;
    private final String title;
    private final String field;

    public ApiProblem(int status, String title, String field, String detail) {
        super(detail);
        this.status = status;
        this.title = title;
        this.field = field;
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
}
