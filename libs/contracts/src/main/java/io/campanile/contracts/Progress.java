package io.campanile.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Where a running job is: {@code step} of {@code total} in {@code stage} (e.g. "stage1", "encode"). Training jobs
 * also report the optional fields (absent from the JSON when null).
 *
 * @param epoch the training epoch (1-based) the step belongs to
 * @param loss the latest training loss (mean over the last steps)
 * @param imagesPerSecond training throughput
 * @param etaSeconds estimated seconds until the job's end
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Progress(
        String stage, int step, int total, Integer epoch, Double loss, Double imagesPerSecond, Double etaSeconds) {

    public Progress(String stage, int step, int total) {
        this(stage, step, total, null, null, null, null);
    }
}
