package io.campanile.stage2.engine;

import io.campanile.platform.JobContext;

/** What the stage-II loop needs of its job: the seed, cancellation and progress. */
public interface LoopContext {

    long seed();

    /** Throws when the job was cancelled. */
    void checkCancelled();

    void progress(String stage, int step, int total);

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
                job.progress(stage, step, total);
            }
        };
    }
}
