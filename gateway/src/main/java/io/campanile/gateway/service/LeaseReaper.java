package io.campanile.gateway.service;

import io.campanile.contracts.JobStatus;
import io.campanile.gateway.config.GatewayConfig;
import io.campanile.gateway.config.ReaperSettings;
import io.campanile.gateway.messaging.JobEventsConsumer;
import io.campanile.gateway.persistence.DispatchQueueRepository;
import io.campanile.gateway.persistence.JobEntity;
import io.campanile.gateway.persistence.JobRepository;
import io.campanile.gateway.persistence.OutboxRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Fails the jobs that nobody will finish: a RUNNING job whose worker stopped renewing its lease and that no replica
 * resumed within the grace ({@code campanile.gateway.lease-grace-seconds}), and a job that waited in a queue past
 * {@code campanile.gateway.queue-timeout-minutes} without a worker starting it. Each failed job also gets the cancel
 * broadcast, as a cancellation does, so a worker that receives the job later skips it.
 *
 * <p>A job that waits for dispatch (ADR 0016) is QUEUED and counts as queued from its creation: the queue timeout
 * bounds its wait in PostgreSQL and in its first topic together. A failed job leaves the dispatch queue, and the
 * dispatcher is woken once the batch commits, since every failed job frees a slot of its lane's window.
 *
 * <p>Each batch is its own transaction and locks its rows with {@code FOR UPDATE SKIP LOCKED}, and only non-terminal
 * rows match: several gateway replicas can reap side by side and a job fails once. A row that the event applier
 * holds (a HEARTBEAT being applied) is skipped and looked at again on the next pass.
 */
@ApplicationScoped
public class LeaseReaper {
    private static final Logger LOG = Logger.getLogger(LeaseReaper.class);
    private static final int BATCH = 100;

    private final JobRepository jobs;
    private final OutboxRepository outbox;
    private final GatewayConfig config;
    private final Scheduler scheduler;
    private final JobEventsConsumer jobEvents;
    private final DispatchQueueRepository queue;
    private final Dispatcher dispatcher;
    private ReaperSettings settings;

    @Inject
    LeaseReaper(
            JobRepository jobs,
            OutboxRepository outbox,
            GatewayConfig config,
            Scheduler scheduler,
            JobEventsConsumer jobEvents,
            DispatchQueueRepository queue,
            Dispatcher dispatcher) {
        this.queue = queue;
        this.dispatcher = dispatcher;
        this.jobs = jobs;
        this.outbox = outbox;
        this.config = config;
        this.scheduler = scheduler;
        this.jobEvents = jobEvents;
    }

    /**
     * Validates the settings, so that a value out of range stops the start naming its key, and schedules the passes.
     * Scheduled here rather than with {@code @Scheduled} so that the interval is the validated, typed value.
     */
    void start(@Observes StartupEvent ev) {
        settings = config.reaper();
        scheduler
                .newJob("lease-reaper")
                .setInterval(settings.intervalSeconds() + "s")
                .setConcurrentExecution(Scheduled.ConcurrentExecution.SKIP)
                .setTask(execution -> tick())
                .schedule();
    }

    private void tick() {
        try {
            reapOnce(Instant.now(), jobEvents.caughtUpAt());
        } catch (RuntimeException e) {
            LOG.warnf("lease reaper failed, will retry: %s", e.toString());
        }
    }

    /** One pass as of {@code now} (tests choose it), with every job event applied; how many jobs it failed. */
    public int reapOnce(Instant now) {
        return reapOnce(now, now);
    }

    /**
     * One pass as of {@code now}. Leases are judged as of {@code eventsApplied}, a time before which every job event
     * has been applied (null: not known yet, and no lease is judged): after an outage of the gateway or its database,
     * heartbeats still wait in job-events, and the wall clock alone would read them as lapsed leases.
     */
    public int reapOnce(Instant now, Instant eventsApplied) {
        int failed = 0;
        for (Stall stall : Stall.values()) {
            if (stall == Stall.LEASE_LAPSED && eventsApplied == null) {
                continue;
            }
            Instant asOf = stall == Stall.LEASE_LAPSED && eventsApplied.isBefore(now) ? eventsApplied : now;
            int n;
            do {
                n = QuarkusTransaction.requiringNew().call(() -> reapBatch(stall, asOf, now));
                failed += n;
                if (n > 0) {
                    dispatcher.wake();
                }
            } while (n == BATCH);
        }
        return failed;
    }

    /** The ways a job stalls, in the order of the passes; each is one locking query of {@link JobRepository}. */
    private enum Stall {
        LEASE_LAPSED,
        NEVER_STARTED,
        WAITING_IN_NEXT_QUEUE
    }

    private int reapBatch(Stall stall, Instant asOf, Instant now) {
        Instant cutoff =
                stall == Stall.LEASE_LAPSED ? asOf.minus(settings.leaseGrace()) : asOf.minus(settings.queueTimeout());
        List<JobEntity> stalled = switch (stall) {
            case LEASE_LAPSED -> jobs.lockLapsedLeases(cutoff, BATCH);
            case NEVER_STARTED -> jobs.lockNeverStarted(cutoff, BATCH);
            case WAITING_IN_NEXT_QUEUE -> jobs.lockWaitingInNextQueue(cutoff, BATCH);
        };
        for (JobEntity job : stalled) {
            fail(job, reason(stall, job), now);
        }
        return stalled.size();
    }

    private String reason(Stall stall, JobEntity job) {
        return switch (stall) {
            case LEASE_LAPSED ->
                "worker lost: " + job.worker + " stopped renewing the lease of attempt " + job.attempt
                        + " at " + job.leaseExpiresAt + ", and no replica resumed the job within "
                        + settings.leaseGraceSeconds() + " s";
            case NEVER_STARTED -> "not started within " + settings.queueTimeoutMinutes() + " minutes of queueing";
            case WAITING_IN_NEXT_QUEUE ->
                "not started within " + settings.queueTimeoutMinutes() + " minutes of queueing for " + nextQueue(job);
        };
    }

    /** The queue a handed-off job waits in, from its progress stage "queued for <topic>". */
    private static String nextQueue(JobEntity job) {
        String prefix = "queued for ";
        return job.progressStage != null && job.progressStage.startsWith(prefix)
                ? job.progressStage.substring(prefix.length())
                : "its next stage";
    }

    private void fail(JobEntity job, String reason, Instant now) {
        job.status = JobStatus.FAILED;
        job.error = reason;
        job.finishedAt = now;
        job.leaseExpiresAt = null;
        job.touch(now);
        if (job.dispatchedAt == null) {
            queue.remove(job.id);
        }
        JobCancellation.broadcast(outbox, job.id);
        JobUpdates.announce(outbox, job);
        LOG.warnf("job %s failed: %s", job.id, reason);
    }
}
