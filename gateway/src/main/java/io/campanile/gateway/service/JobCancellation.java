package io.campanile.gateway.service;

import io.campanile.contracts.JobControlMessage;
import io.campanile.contracts.JobStatus;
import io.campanile.contracts.Topics;
import io.campanile.gateway.auth.Caller;
import io.campanile.gateway.persistence.DispatchQueueRepository;
import io.campanile.gateway.persistence.JobEntity;
import io.campanile.gateway.persistence.JobRepository;
import io.campanile.gateway.persistence.OutboxRepository;
import io.campanile.platform.JsonProducer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.UUID;

/**
 * Cancels a job. A queued job becomes CANCELLED at once and never runs: one still waiting for dispatch leaves the
 * dispatch queue and is never published; workers skip one already dispatched (they see the broadcast on job-control,
 * and their reports of it are ignored since the state is terminal). A running job is flagged and the worker stops at
 * its next step, reporting CANCELLED. A job that ends frees a slot of its lane's window: the dispatcher is woken.
 */
@ApplicationScoped
public class JobCancellation {
    private final JobRepository jobs;
    private final OutboxRepository outbox;
    private final DispatchQueueRepository queue;
    private final Dispatcher dispatcher;

    @Inject
    JobCancellation(JobRepository jobs, OutboxRepository outbox, DispatchQueueRepository queue, Dispatcher dispatcher) {
        this.jobs = jobs;
        this.outbox = outbox;
        this.queue = queue;
        this.dispatcher = dispatcher;
    }

    /** Cancels the job if the caller may see it (another tenant's job is not found, like an unknown one). */
    @Transactional
    public JobEntity cancel(UUID id, Caller caller) {
        JobEntity job = jobs.lockForUpdate(id);
        if (job == null || !caller.sees(job.tenant)) {
            throw new JobNotFoundException(id);
        }
        if (job.status == JobStatus.CANCELLED || job.cancelRequested) {
            return job;
        }
        if (job.status.isTerminal()) {
            throw new ConflictException("status", "job " + id + " already " + job.status);
        }
        Instant now = Instant.now();
        if (job.status == JobStatus.QUEUED) {
            job.status = JobStatus.CANCELLED;
            job.finishedAt = now;
            if (job.dispatchedAt == null) {
                queue.remove(id); // never published; the broadcast below is then only for the record
            }
            dispatcher.wakeAfterCommit();
        }
        job.cancelRequested = true;
        job.touch(now);
        broadcast(outbox, id);
        JobUpdates.announce(outbox, job);
        return job;
    }

    /**
     * Writes the cancel broadcast for job-control to the outbox, in the caller's transaction: every worker then skips
     * the job if it receives it, and stops it at its next step if it runs it.
     */
    static void broadcast(OutboxRepository outbox, UUID id) {
        outbox.insert(Topics.JOB_CONTROL, id.toString(), JsonProducer.toJson(JobControlMessage.cancel(id)));
    }
}
