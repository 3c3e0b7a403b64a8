package io.campanile.gateway.service;

/** A dependency the request needs is down; the client should retry later. The API answers 503 with Retry-After. */
public class ServiceUnavailableException extends RuntimeException {
    public ServiceUnavailableException(String detail) {
        super(detail);
    }
}
