package io.campanile.gateway.service;

import io.campanile.contracts.Topics;
import io.campanile.gateway.messaging.JobUpdateMessage;
import io.campanile.gateway.persistence.JobEntity;
import io.campanile.gateway.persistence.OutboxRepository;
import io.campanile.platform.JsonProducer;

/**
 * Announces a change of a job to every gateway replica's live streams (ADR 0013): an outbox record for
 * {@code job-updates} with the job's new version, written in the transaction that changed the job. Every writer of
 * job state calls it: submission, cancellation, the event applier and the lease reaper.
 */
final class JobUpdates {
    private JobUpdates() {}

    /** Call after the change (after {@link JobEntity#touch}), in the changing transaction. */
    static void announce(OutboxRepository outbox, JobEntity job) {
        outbox.insert(
                Topics.JOB_UPDATES, job.id.toString(), JsonProducer.toJson(new JobUpdateMessage(job.id, job.version)));
    }
}
