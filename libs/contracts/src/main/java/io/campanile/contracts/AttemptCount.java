package io.campanile.contracts;

/**
 * Storage's answer to recording a start of a job by a worker kind: {@code attempt} starts so far, this one included.
 */
public record AttemptCount(int attempt) {
}
