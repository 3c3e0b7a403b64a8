package io.campanile.platform;

/** Kafka could not be reached or did not acknowledge in time. Retriable. */
public class BrokerUnavailableException extends RuntimeException {
    public BrokerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
