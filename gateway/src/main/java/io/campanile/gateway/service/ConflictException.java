package io.campanile.gateway.service;

/**
 * The request is valid but contradicts the state it acts on (a finished job cancelled, an idempotency key reused for
 * another request). The API answers 409 naming the field in conflict.
 */
public class ConflictException extends RuntimeException {
    private final String field;

    public ConflictException(String field, String detail) {
        super(detail);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
