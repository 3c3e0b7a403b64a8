package io.campanile.gateway.service;

import io.campanile.contracts.JobEventMessage;
import io.campanile.contracts.JobEventType;
import io.campanile.contracts.JobStatus;
import io.campanile.contracts.Progress;
import io.campanile.gateway.messaging.JobEventSink;
import io.campanile.gateway.persistence.JobEntity;
import io.campanile.gateway.persistence.JobOutputEntity;
import io.campanile.gateway.persistence.JobOutputRepository;
import io.campanile.gateway.persistence.JobRepository;
import io.campanile.gateway.persistence.OutboxRepository;
import io.campanile.gateway.persistence.ProcessedEventRepository;
import io.campanile.platform.JsonProducer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Applies worker events to job state; the gateway is the only writer of jobs. The event id is recorded in the same
 * transaction, so a redelivered event changes nothing, and a terminal status never changes. STARTED and HEARTBEAT
 * set the running attempt and its lease, which {@link LeaseReaper} watches; HANDED_OFF ends the lease while the job
 * waits in the next stage's queue (a hand-off from a worker that no longer holds the job is late and ignored).
 * Every applied change is announced to the replicas' live streams ({@link JobUpdates}); a PREVIEW is live only and
 * never touches the database (each replica takes it from job-events itself). A job that ends frees a slot of its
 * lane's dispatch window, so the dispatcher is woken once the end commits (ADR 0016).
 */
@ApplicationScoped
public class JobEventApplier implements JobEventSink {
    private static final Logger LOG = Logger.getLogger(JobEventApplier.class);

    private final ProcessedEventRepository processedEvents;
    private final JobRepository jobs;
    private final JobOutputRepository jobOutputs;
    private final GatewayMetrics metrics;
    private final OutboxRepository outbox;
    private final Dispatcher dispatcher;

    @Inject
    JobEventApplier(
            ProcessedEventRepository processedEvents,
            JobRepository jobs,
            JobOutputRepository jobOutputs,
            GatewayMetrics metrics,
            OutboxRepository outbox,
            Dispatcher dispatcher) {
        this.dispatcher = dispatcher;
        this.processedEvents = processedEvents;
        this.jobs = jobs;
        this.jobOutputs = jobOutputs;
        this.metrics = metrics;
        this.outbox = outbox;
    }

    /**
     * Applies the event; returns false when it was a duplicate, late (for a finished job, or a HEARTBEAT or HANDED_OFF
     * of an attempt that no longer holds the job), for an unknown job, or a PREVIEW (not stored).
     */
    @Override
    @Transactional
    public boolean apply(JobEventMessage e) {
        if (e.event() == JobEventType.PREVIEW) {
            return false;
        }
        if (!processedEvents.markProcessed(e.eventId())) {
            return false;
        }
        JobEntity job = jobs.lockForUpdate(e.jobId());
        if (job == null) {
            LOG.warnf("event %s for unknown job %s ignored", e.event(), e.jobId());
            return false;
        }
        boolean queued = job.status == JobStatus.QUEUED;
        if (job.status.isTerminal() || !change(job, e)) {
            return false;
        }
        if (queued && job.status == JobStatus.RUNNING) { // a worker started it: its wait in the first queue is over
            metrics.queueWait(job.type, Duration.between(job.createdAt, job.startedAt));
        }
        if (e.progress() != null) {
            job.progressStage = e.progress().stage();
            job.progressStep = e.progress().step();
            job.progressTotal = e.progress().total();
            job.progressDetail = progressDetail(e.progress());
        }
        if (e.timings() != null && !e.timings().isEmpty()) {
            job.timings = JsonProducer.toJson(e.timings());
        }
        job.touch(Instant.now());
        JobUpdates.announce(outbox, job);
        if (job.status.isTerminal()) {
            dispatcher.wakeAfterCommit();
        }
        return true;
    }

    /** Applies the event's own change; false when it is late and changes nothing. */
    private boolean change(JobEntity job, JobEventMessage e) {
        Instant now = e.occurredAt() == null ? Instant.now() : e.occurredAt();
        switch (e.event()) {
            case STARTED -> {
                markRunning(job, now);
                holdLease(job, e);
            }
            case HEARTBEAT -> {
                if (!renews(job, e)) {
                    return false;
                }
                markRunning(job, now);
                holdLease(job, e);
            }
            case HANDED_OFF -> {
                if (job.worker != null && !job.worker.equals(e.source())) {
                    return false;
                }
                markRunning(job, now);
                job.leaseExpiresAt = null;
            }
            case PROGRESS -> markRunning(job, now);
            case OUTPUT -> {
                markRunning(job, now);
                addOutput(job, e);
            }
            case SUCCEEDED, FAILED, CANCELLED -> finish(job, e, now);
        }
        return true;
    }

    /** The optional training fields of a progress report as JSON, or null when it has none. */
    private static String progressDetail(Progress p) {
        Map<String, Object> d = new LinkedHashMap<>();
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
        return d.isEmpty() ? null : JsonProducer.toJson(d);
    }

    /** The event's worker now runs the job: its attempt, and its lease (null when it takes none). */
    private static void holdLease(JobEntity job, JobEventMessage e) {
        job.worker = e.source();
        job.attempt = e.attempt();
        job.leaseExpiresAt = e.leaseExpiresAt();
    }

    /**
     * Whether a HEARTBEAT renews the job's lease. Not when it comes from an earlier attempt (a replica that lost the
     * job to a newer start keeps beating until it notices), nor when it carries no lease, nor once the attempt has
     * given the job up (HANDED_OFF left an attempt without a lease): a beat still in flight from the handing-off
     * worker would otherwise put a lease on a job that waits in the next stage's queue, and the reaper would take
     * that queue's wait for a lost worker. Only STARTED begins the next attempt.
     */
    private static boolean renews(JobEntity job, JobEventMessage e) {
        if (e.leaseExpiresAt() == null) {
            return false;
        }
        if (job.attempt == null) {
            return true;
        }
        return job.leaseExpiresAt != null && e.attempt() != null && e.attempt() >= job.attempt;
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
        jobOutputs.insertIfAbsent(
                job.id, e.output().imageId(), e.output().role(), e.output().ordinal());
    }

    /** A finished job holds no lease: nothing is left to renew. */
    private static void finish(JobEntity job, JobEventMessage e, Instant now) {
        job.status = e.event().resultingStatus();
        job.finishedAt = now;
        job.leaseExpiresAt = null;
        if (job.startedAt == null) {
            job.startedAt = now;
        }
        if (job.status == JobStatus.FAILED) {
            job.error = e.error() == null ? "failed without a reason" : e.error();
        }
    }

    /** The outputs of a job in order. */
    @Transactional
    public List<JobOutputEntity> outputs(UUID jobId) {
        return jobOutputs.listByJob(jobId);
    }
}
