package io.campanile.platform;

/** A message that can never be processed (malformed, unknown type, unsupported version): goes to dead-letters. */
public class PoisonMessageException extends RuntimeException {
    public PoisonMessageException(String message) {
        super(message);
    }

    public PoisonMessageException(String message, Throwable cause) {
        super(message, cause);
    }
}
