package io.campanile.stage1.service;

import io.campanile.contracts.jobs.JobRequest;
import io.campanile.engine.packs.LoadedPack;
import io.campanile.engine.packs.PackModels;
import io.campanile.platform.JobContext;
import io.campanile.platform.Operation;

/** A stage-1 pipeline: it runs on the job's model pack and may hand its results to stage II. */
abstract class PackOperation<R extends JobRequest> implements Operation<R> {
    private final Class<R> requestType;
    private final PackModels packs;
    /** Hands the results on when the job asked for {@code upscale: true}. */
    protected final Stage2Handoff handoff;

    PackOperation(Class<R> requestType, PackModels packs, Stage2Handoff handoff) {
        this.requestType = requestType;
        this.packs = packs;
        this.handoff = handoff;
    }

    @Override
    public Class<R> requestType() {
        return requestType;
    }

    /** The job's model pack, loaded. */
    protected LoadedPack pack(JobContext job) {
        return packs.get(job.request().model());
    }
}
