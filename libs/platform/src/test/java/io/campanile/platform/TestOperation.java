package io.campanile.platform;

import io.campanile.contracts.jobs.ForwardRequest;

/** A forward-type operation written as a lambda over the job's context (the request is not needed by the tests). */
@FunctionalInterface
interface TestOperation extends Operation<ForwardRequest> {
    void run(JobContext job);

    @Override
    default Class<ForwardRequest> requestType() {
        return ForwardRequest.class;
    }

    @Override
    default void run(ForwardRequest request, JobContext job) {
        run(job);
    }
}
