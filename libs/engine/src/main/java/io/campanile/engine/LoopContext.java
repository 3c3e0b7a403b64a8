package io.campanile.engine;

import io.campanile.platform.JobContext;

/** What the denoising loop needs of its job: the seed, cancellation, progress and live previews. */
public interface LoopContext {

    long seed();

    /** Throws when the job was cancelled. */
    void checkCancelled();

    void progress(String stage, int step, int total);

    /** The first denoising step starts now (the end of the job's queue overhead); later calls do nothing. */
    default void firstStep() {}

    /** Adds time spent in a part of the loop to the job's timings. */
    default void addTiming(String what, long nanos) {}

    /** Whether a live preview of {@code step} (1-based) of {@code total} is due; asked before one is made. */
    default boolean previewDue(int step, int total) {
        return false;
    }

    /** Publishes a live preview: a small PNG of the current x0-hat of the job's first image. */
    default void preview(String stage, int step, int total, byte[] png) {}

    /** A loop outside any job (the trainer's figures, benchmarks): its seed, no cancellation, no progress. */
    static LoopContext seeded(long seed) {
        return new LoopContext() {
            @Override
            public long seed() {
                return seed;
            }

            @Override
            public void checkCancelled() {}

            @Override
            public void progress(String stage, int step, int total) {}
        };
    }

    /** The loop context of a running job. */
    static LoopContext of(JobContext job) {
        return new LoopContext() {
            @Override
            public long seed() {
                return job.seed();
            }

            @Override
            public void checkCancelled() {
                job.checkCancelled();
            }

            @Override
            public void progress(String stage, int step, int total) {
                job.events().progress(stage, step, total);
            }

            @Override
            public void firstStep() {
                job.events().firstStep();
            }

            @Override
            public void addTiming(String what, long nanos) {
                job.events().addTiming(what, nanos);
            }

            @Override
            public boolean previewDue(int step, int total) {
                return job.events().previewDue(step, total);
            }

            @Override
            public void preview(String stage, int step, int total, byte[] png) {
                job.events().preview(stage, step, total, png);
            }
        };
    }
}
