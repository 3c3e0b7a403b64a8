package io.campanile.contracts;

/** Where a running job is: {@code step} of {@code total} in {@code stage} (e.g. "stage1", "encode"). */
public record Progress(String stage, int step, int total) {
}
