package io.campanile.contracts;

/**
 * Storage's answer to recording a start of a job by a worker kind.
 *
 * @param attempt starts so far, this one included (not counted again once finished)
 * @param finished the worker kind already finished the job: this delivery is a duplicate and is skipped
 * @param finalEvent the final event the worker kind recorded with its finish (JSON), to be published again by the
 *     duplicate delivery in case the worker died between recording it and publishing it; null when none was recorded
 */
public record AttemptCount(int attempt, boolean finished, String finalEvent) {

    /** A count without a recorded final event. */
    public AttemptCount(int attempt, boolean finished) {
        this(attempt, finished, null);
    }
}
