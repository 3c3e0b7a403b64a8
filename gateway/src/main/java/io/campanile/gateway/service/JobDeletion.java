package io.campanile.gateway.service;

import io.campanile.gateway.auth.Caller;
import io.campanile.gateway.persistence.JobEntity;
import io.campanile.gateway.persistence.JobRepository;
import io.campanile.gateway.persistence.RetentionRepository;
import io.campanile.platform.StorageClient;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.UUID;

/**
 * Deletes a finished job with its outputs, files and inputs, in an order that never leaves a job row pointing at
 * deleted data without a way to finish: (1) mark the job {@code deleting_at}, (2) delete its data in storage, (3)
 * delete its rows. Storage down at (2) fails the request (503) and leaves the mark; a retry, or the retention sweep
 * ({@link RetentionSweeper}), finishes the delete. A job not finished yet is refused: it may still write outputs.
 */
@ApplicationScoped
public class JobDeletion {
    private final JobRepository jobs;
    private final RetentionRepository retention;
    private final StorageClient storage;

    @Inject
    JobDeletion(JobRepository jobs, RetentionRepository retention, StorageClient storage) {
        this.jobs = jobs;
        this.retention = retention;
        this.storage = storage;
    }

    /**
     * Deletes the job if the caller may see it.
     *
     * @throws JobNotFoundException when there is no such job, or it is another tenant's (not found, like an unknown
     *     one)
     * @throws ConflictException when the job has not finished
     * @throws StorageClient.StorageUnavailableException when storage is down; the job stays, marked, to retry
     */
    public void delete(UUID id, Caller caller) {
        QuarkusTransaction.requiringNew().run(() -> mark(id, caller, Instant.now()));
        storage.deleteJob(id); // idempotent: a retry, or the sweep, may delete the same job again
        QuarkusTransaction.requiringNew().run(() -> retention.deleteJob(id));
    }

    private void mark(UUID id, Caller caller, Instant now) {
        JobEntity job = jobs.lockForUpdate(id);
        if (job == null || !caller.sees(job.tenant)) {
            throw new JobNotFoundException(id);
        }
        if (!job.status.isTerminal()) {
            throw new ConflictException(
                    "status", "job " + id + " is " + job.status + ": cancel it first, and delete it once it stopped");
        }
        if (job.deletingAt == null) {
            job.deletingAt = now;
        }
    }
}
