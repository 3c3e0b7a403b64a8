package io.campanile.platform;

import io.campanile.contracts.jobs.JobRequest;

/**
 * One job type's pipeline. It receives the job's typed request (the record of its type, libs/contracts), runs the
 * engine on it, and hands its results to the job's outputs.
 *
 * @param <R> the request record of the job type it runs
 */
public interface Operation<R extends JobRequest> {

    /** The request record it runs; its job type is {@code JobRequests.typeOf(requestType())}. */
    Class<R> requestType();

    void run(R request, JobContext job);
}
