package io.campanile.packs;

/** A model pack cannot be used: a bad manifest, a missing file, or a graph that does not match its manifest. */
public class PackException extends RuntimeException {
    public PackException(String message) {
        super(message);
    }

    public PackException(String message, Throwable cause) {
        super(message, cause);
    }
}
