package io.campanile.stage1.service;

import io.campanile.engine.LoadedPack;
import io.campanile.engine.PackModels;
import io.campanile.platform.JobContext;
import io.campanile.platform.JobWorker;

/** A stage-1 pipeline: it runs on the job's model pack and may hand its results to stage II. */
abstract class PackOperation implements JobWorker.Operation {
    private final PackModels packs;
    /** Hands the results on when the job asked for {@code upscale: true}. */
    protected final Stage2Handoff handoff;

    PackOperation(PackModels packs, Stage2Handoff handoff) {
        this.packs = packs;
        this.handoff = handoff;
    }

    /** The job's model pack, loaded. */
    protected LoadedPack pack(JobContext job) {
        return packs.get(job.request().model());
    }
}
