package io.campanile.gateway.service;

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
     * Deletes the job.
     *
     * @throws JobNotFoundException when there is no such job
     * @throws ConflictException when the job has not finished
     * @throws StorageClient.StorageUnavailableException when storage is down; the job stays, marked, to retry
     */
    public void delete(UUID id) {
        QuarkusTransaction.requiringNew().run(() -> mark(id, Instant.now()));
        storage.deleteJob(id); // idempotent: a retry, or the sweep, may delete the same job again
        QuarkusTransaction.requiringNew().run(() -> retention.deleteJob(id));
    }

    private void mark(UUID id, Instant now) {
        JobEntity job = jobs.lockForUpdate(id);
        if (job == null) {
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
