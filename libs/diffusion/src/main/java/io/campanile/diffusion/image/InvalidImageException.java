package io.campanile.diffusion.image;

/** An image could not be read: not PNG or JPEG, truncated, or corrupt. Unchecked; retrying will not help. */
public class InvalidImageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message. */
    public InvalidImageException(String message) {
        super(message);
    }

    /** Creates the exception with a message and the underlying cause. */
    public InvalidImageException(String message, Throwable cause) {
        super(message, cause);
    }
}
