package io.campanile.gateway.service;

/** A request field is missing or wrong; the client can fix it. The API answers 400 naming the field. */
public class InvalidRequestException extends RuntimeException {
    private final String field;

    /**
     * @param field the offending field as the client wrote it ({@code "model"}, {@code "t[2]"}, {@code "body"}, a
     *        header name)
     * @param detail what is wrong with it, readable by the user
     */
    public InvalidRequestException(String field, String detail) {
        super(detail);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
