package io.campanile.contracts;

/**
 * Storage's answer to recording a start of a job by a worker kind.
 *
 * @param attempt starts so far, this one included (not counted again once finished)
 * @param finished the worker kind already finished the job: this delivery is a duplicate and is skipped
 */
public record AttemptCount(int attempt, boolean finished) {}
