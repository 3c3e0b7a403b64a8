package io.campanile.contracts.jobs;

/** A job request field that breaks its type's rules; the gateway answers 400 naming {@link #field()}. */
public final class InvalidFieldException extends IllegalArgumentException {
    private final String field;

    public InvalidFieldException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** The field, as the client wrote it ({@code timesteps[3]} for a list element). */
    public String field() {
        return field;
    }
}
