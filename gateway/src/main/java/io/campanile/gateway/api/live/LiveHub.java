package io.campanile.gateway.api.live;

import io.campanile.contracts.Preview;
import io.campanile.gateway.api.JobView;
import io.campanile.gateway.auth.Caller;
import io.campanile.gateway.config.GatewayConfig;
import io.campanile.gateway.messaging.LiveEventSink;
import io.campanile.gateway.service.JobNotFoundException;
import io.campanile.gateway.service.JobQueries;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.mutiny.subscription.MultiEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * This replica's live view of the jobs (ADR 0013), fed by {@link io.campanile.gateway.messaging.LiveEventsConsumer}
 * with every replica's changes and every worker's previews. A change of a job that a stream follows (or followed,
 * and may resume) is rendered once from the database, however many clients follow it, and turned into named events
 * by comparing with the view rendered before; connections never read the database after their first read.
 * Previews are kept in memory only: the latest per job, for {@code GET /v1/jobs/{id}/preview}.
 */
@ApplicationScoped
public class LiveHub implements LiveEventSink {
    private static final Logger LOG = Logger.getLogger(LiveHub.class);
    private static final int RENDER_ATTEMPTS = 3;

    private final JobQueries queries;
    private final int bufferedEvents;
    /** Least recently used first; a job followed by a stream is never evicted. Guarded by this. */
    private final Map<UUID, JobLog> jobs;
    /** The streams of {@code /v1/events} with their callers, who see their own tenant's jobs. Guarded by this. */
    private final Map<MultiEmitter<? super LiveEvent>, Follower> everyJob = new LinkedHashMap<>();

    @Inject
    LiveHub(JobQueries queries, GatewayConfig config) {
        this.queries = queries;
        this.bufferedEvents = config.sse().bufferedEvents();
        int maxJobs = config.sse().bufferedJobs();
        this.jobs = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<UUID, JobLog> eldest) {
                return size() > maxJobs && eldest.getValue().streams.isEmpty();
            }
        };
    }

    /**
     * Starts a job's stream: the buffered events after {@code lastEventId} (when given), the job's current status (the
     * newer of {@code current}, just read, and the last rendered view), the latest preview; then every later event.
     */
    void open(UUID jobId, String tenant, JobView current, Long lastEventId, JobStream s) {
        boolean behind;
        synchronized (this) {
            JobLog log = log(jobId);
            log.tenant = tenant;
            if (log.view == null) {
                log.view = current;
                log.heard(current.version());
            } else {
                publishChange(log, current); // the read may be ahead of the hub: every stream gets the change
            }
            if (lastEventId != null) {
                log.replay(lastEventId, s);
            }
            s.current(LiveEvent.status(log.view));
            if (log.preview != null) {
                s.send(log.preview);
            }
            if (s.done()) {
                return;
            }
            log.streams.add(s);
            behind = log.knownVersion > log.view.version();
        }
        if (behind) { // a change announced while nobody rendered this job: render it now, off the I/O thread
            Infrastructure.getDefaultWorkerPool().execute(() -> render(jobId));
        }
    }

    synchronized void close(UUID jobId, JobStream s) {
        JobLog log = jobs.get(jobId);
        if (log != null) {
            log.streams.remove(s);
        }
    }

    synchronized void openEveryJob(MultiEmitter<? super LiveEvent> e, Caller caller) {
        everyJob.put(e, new Follower(caller));
    }

    synchronized void closeEveryJob(MultiEmitter<? super LiveEvent> e) {
        everyJob.remove(e);
    }

    /** The latest preview PNG of the job this replica received, or null. */
    public synchronized byte[] latestPreview(UUID jobId) {
        JobLog log = jobs.get(jobId);
        return log == null ? null : log.previewPng;
    }

    @Override
    public void jobChanged(UUID jobId, long version) {
        synchronized (this) {
            JobLog log = log(jobId);
            log.heard(version);
            if ((!log.watched() && everyJob.isEmpty()) || (log.view != null && log.view.version() >= version)) {
                return;
            }
        }
        render(jobId);
    }

    @Override
    public void preview(UUID jobId, Preview preview) {
        synchronized (this) {
            JobLog log = log(jobId);
            if ((log.view != null && log.view.status().isTerminal())
                    || log.previewsAtVersion >= LiveEvent.MAX_PREVIEWS) {
                return; // late, or this version's preview ids are used up: a later one comes
            }
            long version = Math.max(log.knownVersion, log.view == null ? 0 : log.view.version());
            LiveEvent e = new LiveEvent(
                    version * 100 + LiveEvent.PREVIEWS + log.previewsAtVersion++, "preview", LiveData.preview(preview));
            log.preview = e;
            log.previewPng = preview.png();
            log.send(e);
            sendEveryJob(
                    log.tenant,
                    "preview",
                    new LiveData.PreviewSummary(jobId, ((LiveData.PreviewData) e.data()).image()));
        }
    }

    /**
     * Reads the job once and publishes what changed since the last rendered view. A database that does not answer
     * is asked again a few times: a missed terminal status would leave its streams open.
     */
    private void render(UUID jobId) {
        for (int attempt = 1; attempt <= RENDER_ATTEMPTS; attempt++) {
            try {
                JobQueries.JobWithOutputs j = queries.get(jobId);
                apply(j.job().tenant, JobView.of(j.job(), j.outputs()));
                return;
            } catch (JobNotFoundException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warnf("job %s not rendered for its streams (attempt %d): %s", jobId, attempt, e.toString());
                try {
                    Thread.sleep(200L * attempt);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private synchronized void apply(String tenant, JobView view) {
        JobLog log = log(view.id());
        log.tenant = tenant;
        publishChange(log, view);
    }

    /** Publishes the events from the job's last rendered view to {@code view}, unless that is not newer. */
    private void publishChange(JobLog log, JobView view) {
        JobView prev = log.view;
        if (prev != null && prev.version() >= view.version()) {
            return;
        }
        log.view = view;
        log.heard(view.version());
        for (LiveEvent e : JobLog.changes(prev, view)) {
            log.publish(e);
        }
        if (prev == null || JobLog.statusChanged(prev, view) || !Objects.equals(prev.progress(), view.progress())) {
            sendEveryJob(log.tenant, "job", LiveData.summary(view));
        }
    }

    /**
     * Sends to the {@code /v1/events} streams whose caller sees {@code tenant}: a job whose tenant is not known yet
     * (never read on this replica) goes to admins only.
     */
    private void sendEveryJob(String tenant, String name, Object data) {
        if (everyJob.isEmpty()) {
            return;
        }
        everyJob.keySet().removeIf(MultiEmitter::isCancelled);
        // A copy: emitting may end a stream, whose termination removes it from the map while this loop runs.
        for (Map.Entry<MultiEmitter<? super LiveEvent>, Follower> e : List.copyOf(everyJob.entrySet())) {
            Follower f = e.getValue();
            if (f.caller.admin() || (tenant != null && f.caller.sees(tenant))) {
                e.getKey().emit(new LiveEvent(++f.ids, name, data));
            }
        }
    }

    /**
     * A stream of {@code /v1/events}: its caller, and its own event ids (shared ids would let a tenant count the
     * other tenants' changes by the gaps).
     */
    private static final class Follower {
        final Caller caller;
        long ids;

        Follower(Caller caller) {
            this.caller = caller;
        }
    }

    private JobLog log(UUID jobId) {
        return jobs.computeIfAbsent(jobId, id -> new JobLog(bufferedEvents));
    }
}
