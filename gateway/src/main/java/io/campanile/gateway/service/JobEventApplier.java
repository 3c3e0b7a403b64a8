package io.campanile.gateway.service;

import io.campanile.contracts.JobEventMessage;
import io.campanile.contracts.JobStatus;
import io.campanile.gateway.persistence.JobEntity;
import io.campanile.gateway.persistence.JobOutputEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Applies worker events to job state; the gateway is the only writer of jobs. The event id is recorded in the same
 * transaction, so a redelivered event changes nothing, and a terminal status never changes.
 */
@ApplicationScoped
public class JobEventApplier {
    private static final Logger LOG = Logger.getLogger(JobEventApplier.class);

    @Inject
    EntityManager em;

    /** Applies the event; returns false when it was a duplicate, late, or for an unknown job. */
    @Transactional
    public boolean apply(JobEventMessage e) {
        int fresh = em.createNativeQuery("insert into processed_events (event_id) values (?1) on conflict do nothing")
                .setParameter(1, e.eventId()).executeUpdate();
        if (fresh == 0) {
            return false;
        }
        JobEntity job = em.find(JobEntity.class, e.jobId(), LockModeType.PESSIMISTIC_WRITE);
        if (job == null) {
            LOG.warnf("event %s for unknown job %s ignored", e.event(), e.jobId());
            return false;
        }
        if (job.status.isTerminal()) {
            return false;
        }
        Instant now = e.occurredAt() == null ? Instant.now() : e.occurredAt();
        switch (e.event()) {
            case STARTED -> {
                markRunning(job, now);
                job.worker = e.source();
            }
            case PROGRESS -> markRunning(job, now);
            case OUTPUT -> {
                markRunning(job, now);
                addOutput(job, e);
            }
            case SUCCEEDED, FAILED, CANCELLED -> finish(job, e, now);
        }
        if (e.progress() != null) {
            job.progressStage = e.progress().stage();
            job.progressStep = e.progress().step();
            job.progressTotal = e.progress().total();
            job.progressDetail = progressDetail(e.progress());
        }
        if (e.timings() != null && !e.timings().isEmpty()) {
            job.timings = io.campanile.platform.JsonProducer.toJson(e.timings());
        }
        job.touch(Instant.now());
        return true;
    }

    /** The optional training fields of a progress report as JSON, or null when it has none. */
    private static String progressDetail(io.campanile.contracts.Progress p) {
        java.util.Map<String, Object> d = new java.util.LinkedHashMap<>();
        if (p.epoch() != null) {
            d.put("epoch", p.epoch());
        }
        if (p.loss() != null) {
            d.put("loss", p.loss());
        }
        if (p.imagesPerSecond() != null) {
            d.put("images_per_second", p.imagesPerSecond());
        }
        if (p.etaSeconds() != null) {
            d.put("eta_seconds", p.etaSeconds());
        }
        return d.isEmpty() ? null : io.campanile.platform.JsonProducer.toJson(d);
    }

    private static void markRunning(JobEntity job, Instant now) {
        if (job.status == JobStatus.QUEUED) {
            job.status = JobStatus.RUNNING;
            job.startedAt = now;
        }
    }

    private void addOutput(JobEntity job, JobEventMessage e) {
        if (e.output() == null) {
            return;
        }
        em.createNativeQuery("insert into job_outputs (job_id, image_id, role, ordinal) values (?1, ?2, ?3, ?4) "
                + "on conflict do nothing")
                .setParameter(1, job.id).setParameter(2, e.output().imageId()).setParameter(3, e.output().role())
                .setParameter(4, e.output().ordinal()).executeUpdate();
    }

    private static void finish(JobEntity job, JobEventMessage e, Instant now) {
        job.status = e.event().resultingStatus();
        job.finishedAt = now;
        if (job.startedAt == null) {
            job.startedAt = now;
        }
        if (job.status == JobStatus.FAILED) {
            job.error = e.error() == null ? "failed without a reason" : e.error();
        }
    }

    /** The outputs of a job in order. */
    @Transactional
    public java.util.List<JobOutputEntity> outputs(java.util.UUID jobId) {
        return JobOutputEntity.listByJob(jobId);
    }
}
