package io.campanile.gateway.service;

import io.campanile.gateway.config.GatewayConfig;
import io.campanile.gateway.config.RetentionSettings;
import io.campanile.gateway.persistence.RetentionRepository;
import io.campanile.platform.StorageClient;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Retention in the gateway: deletes finished jobs older than {@code campanile.gateway.retention.finished-jobs} the way
 * {@code DELETE /v1/jobs/{id}} does (storage's data, then the rows), finishes deletes that were cut short (a job
 * marked {@code deleting_at} more than a minute ago), and prunes the ids of applied job events older than
 * {@code campanile.gateway.retention.processed-events}.
 *
 * <p>Each batch is one transaction whose rows are locked {@code FOR UPDATE SKIP LOCKED}: several replicas sweep side
 * by side, each job deleted by one. Storage down stops the batch; the jobs not done stay for the next pass.
 */
@ApplicationScoped
public class RetentionSweeper {
    private static final Logger LOG = Logger.getLogger(RetentionSweeper.class);
    private static final int BATCH = 100;
    private static final int EVENT_BATCH = 1000;
    /** A mark younger than this belongs to a delete request still in flight, which finishes it itself. */
    private static final Duration MARK_AGE = Duration.ofMinutes(1);

    private final RetentionRepository retention;
    private final StorageClient storage;
    private final GatewayConfig config;
    private final Scheduler scheduler;
    private RetentionSettings settings;

    /** What one pass deleted. */
    public record Swept(int jobs, int processedEvents) {}

    @Inject
    RetentionSweeper(RetentionRepository retention, StorageClient storage, GatewayConfig config, Scheduler scheduler) {
        this.retention = retention;
        this.storage = storage;
        this.config = config;
        this.scheduler = scheduler;
    }

    /** Validates the settings (a bad one stops the start, naming its key) and schedules the passes. */
    void start(@Observes StartupEvent ev) {
        settings = config.retentionSettings();
        scheduler
                .newJob("retention-sweeper")
                .setInterval(settings.interval().toSeconds() + "s")
                .setConcurrentExecution(Scheduled.ConcurrentExecution.SKIP)
                .setTask(execution -> tick())
                .schedule();
    }

    private void tick() {
        try {
            Swept s = sweepOnce(Instant.now());
            if (s.jobs() > 0) {
                LOG.infof("retention: deleted %d finished jobs", s.jobs());
            }
        } catch (RuntimeException e) {
            LOG.warnf("retention sweep failed, will retry: %s", e.toString());
        }
    }

    /** One pass as of {@code now} (tests choose it): batches until one comes back short. */
    public Swept sweepOnce(Instant now) {
        Instant markedBefore = now.minus(MARK_AGE);
        Instant finishedBefore = now.minus(settings.finishedJobs());
        int jobs = 0;
        int n;
        do {
            n = QuarkusTransaction.requiringNew().call(() -> deleteBatch(markedBefore, finishedBefore));
            jobs += n;
        } while (n == BATCH);
        Instant processedBefore = now.minus(settings.processedEvents());
        int events = 0;
        do {
            n = QuarkusTransaction.requiringNew()
                    .call(() -> retention.pruneProcessedEvents(processedBefore, EVENT_BATCH));
            events += n;
        } while (n == EVENT_BATCH);
        return new Swept(jobs, events);
    }

    /** Deletes a batch of locked jobs; how many. A job storage refuses stays for a later pass. */
    private int deleteBatch(Instant markedBefore, Instant finishedBefore) {
        List<UUID> ids = retention.lockDeletable(markedBefore, finishedBefore, BATCH);
        int deleted = 0;
        for (UUID id : ids) {
            try {
                storage.deleteJob(id);
            } catch (StorageClient.StorageUnavailableException e) {
                LOG.warnf("retention: storage unavailable, the rest of the batch waits: %s", e.getMessage());
                return deleted;
            } catch (RuntimeException e) {
                LOG.warnf("retention: job %s not deleted, will retry: %s", id, e.toString());
                continue;
            }
            retention.deleteJob(id);
            deleted++;
        }
        return deleted;
    }
}
