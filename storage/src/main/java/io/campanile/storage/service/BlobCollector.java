package io.campanile.storage.service;

import io.campanile.storage.config.RetentionConfig;
import io.campanile.storage.persistence.GarbageRepository;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Retention in storage: deletes the blobs that no image, ref or job hold refers to once they are older than the
 * grace ({@code campanile.storage.gc-grace}), and the start counts of jobs finished longer ago than
 * {@code campanile.storage.attempts-retention}. A blob is judged by when its bytes were last stored, not first: a
 * writer stores a blob and refers to it next, and storing bytes that are already there renews them.
 *
 * <p>Each batch is one statement in its own transaction, so a pass never holds many locks; a batch that fails (a
 * reference committed between the candidate scan and the delete trips the foreign key) is retried on the next pass.
 */
@ApplicationScoped
public class BlobCollector {
    private static final Logger LOG = Logger.getLogger(BlobCollector.class);

    private final GarbageRepository garbage;
    private final RetentionConfig config;
    private final Scheduler scheduler;

    /** What one pass deleted. */
    public record Collected(int blobs, int attempts) {}

    @Inject
    BlobCollector(GarbageRepository garbage, RetentionConfig config, Scheduler scheduler) {
        this.garbage = garbage;
        this.config = config;
        this.scheduler = scheduler;
    }

    /**
     * Checks the settings, so that a value out of range stops the start naming its key, and schedules the passes
     * with the configured interval.
     */
    void start(@Observes StartupEvent ev) {
        positive("campanile.storage.gc-grace", config.gcGrace());
        positive("campanile.storage.gc-interval", config.gcInterval());
        positive("campanile.storage.attempts-retention", config.attemptsRetention());
        if (config.gcBatch() < 1) {
            throw new IllegalArgumentException("campanile.storage.gc-batch must be 1 or more, got " + config.gcBatch());
        }
        scheduler
                .newJob("blob-collector")
                .setInterval(config.gcInterval().toSeconds() + "s")
                .setConcurrentExecution(Scheduled.ConcurrentExecution.SKIP)
                .setTask(execution -> tick())
                .schedule();
    }

    private static void positive(String key, Duration d) {
        if (d.isNegative() || d.isZero() || d.toSeconds() < 1) {
            throw new IllegalArgumentException(key + " must be at least 1 second, got " + d);
        }
    }

    private void tick() {
        try {
            Collected c = collectOnce(garbage.now());
            if (c.blobs() > 0 || c.attempts() > 0) {
                LOG.infof("retention: deleted %d unreferenced blobs and %d attempt rows", c.blobs(), c.attempts());
            }
        } catch (RuntimeException e) {
            LOG.warnf("blob collector failed, will retry: %s", e.toString());
        }
    }

    /** One pass as of {@code now} (tests choose it): batches until one comes back short. */
    public Collected collectOnce(Instant now) {
        int batch = config.gcBatch();
        Instant blobCutoff = now.minus(config.gcGrace());
        int blobs = 0;
        int n;
        do {
            n = garbage.deleteUnreferenced(blobCutoff, batch);
            blobs += n;
        } while (n == batch);
        Instant attemptCutoff = now.minus(config.attemptsRetention());
        int attempts = 0;
        do {
            n = garbage.deleteAttempts(attemptCutoff, batch);
            attempts += n;
        } while (n == batch);
        return new Collected(blobs, attempts);
    }
}
