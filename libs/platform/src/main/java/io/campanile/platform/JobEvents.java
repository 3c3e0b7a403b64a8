package io.campanile.platform;

import io.campanile.contracts.JobEventMessage;
import io.campanile.contracts.JobEventType;
import io.campanile.contracts.Preview;
import io.campanile.contracts.Progress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/**
 * A job's events and timings: throttled progress with an ETA, throttled live previews, events sent without waiting and kept until acknowledged (a failed
 * send is sent again within the outage bound), and the per-part timings reported with SUCCEEDED.
 */
public final class JobEvents {
    private final UUID jobId;
    /** When the gateway accepted the job (null when the request does not say). */
    private final Instant submitted;
    /** Submission to the first denoising step by the wall clock, once that step started; else null. */
    private Long firstStepMs;

    private final JobWorker.Services services;
    private final Outages outages;
    private final List<PendingEvent> pendingEvents = new ArrayList<>();
    private final Map<String, long[]> timings = new LinkedHashMap<>();
    private long lastProgressNanos;
    /** The worker's meters of this job: timings feed them too ({@link WorkerMetrics}). */
    private WorkerMetrics.JobMeters meters = WorkerMetrics.none().forJob("", null);

    private long lastPreviewNanos = Long.MIN_VALUE;
    /** The stage whose first reported step anchors the ETA, that step, and when it was reported. */
    private String etaStage;

    private int etaStep;
    private long etaNanos;

    /** An event sent without waiting, kept with its acknowledgement so that a failed send is sent again. */
    private record PendingEvent(JobEventMessage event, Future<?> ack) {}

    JobEvents(UUID jobId, Instant submitted, JobWorker.Services services, Outages outages) {
        this.jobId = jobId;
        this.submitted = submitted;
        this.services = services;
        this.outages = outages;
    }

    /**
     * Reports progress, at most once per configured interval except for the last step, with the seconds left in the
     * stage estimated from its steps so far.
     */
    public void progress(String stage, int step, int total) {
        progress(new Progress(stage, step, total, null, null, null, eta(stage, step, total)));
    }

    /** Seconds until {@code total} at the stage's pace since its first reported step; null until there is a pace. */
    private Double eta(String stage, int step, int total) {
        long now = System.nanoTime();
        if (!stage.equals(etaStage) || step < etaStep) {
            etaStage = stage;
            etaStep = step;
            etaNanos = now;
            return null;
        }
        if (step == etaStep) {
            return null;
        }
        double perStep = (now - etaNanos) / 1e9 / (step - etaStep);
        return Math.round(perStep * Math.max(0, total - step) * 10) / 10.0;
    }

    /**
     * Whether a live preview of {@code step} (1-based) is due: every {@link PreviewPolicy#every()} steps, never sooner
     * than its interval after the previous one. The loop asks before it makes the preview, so a preview that is not
     * due costs nothing.
     */
    public boolean previewDue(int step, int total) {
        PreviewPolicy policy = services.previews();
        if (policy.every() == 0 || step % policy.every() != 0 || step >= total) {
            return false; // the last step's image is the output itself
        }
        return lastPreviewNanos == Long.MIN_VALUE || System.nanoTime() - lastPreviewNanos >= policy.minIntervalNanos();
    }

    /** Publishes a live preview (a small PNG) without waiting; a failed send is dropped, as a later one says more. */
    public void preview(String stage, int step, int total, byte[] png) {
        lastPreviewNanos = System.nanoTime();
        publish(JobEventMessage.preview(jobId, services.instance(), new Preview(stage, step, total, png)));
    }

    /** Reports progress with its optional fields (training: epoch, loss, images/s, ETA), throttled the same way. */
    public void progress(Progress p) {
        long now = System.nanoTime();
        if (p.step() < p.total() && now - lastProgressNanos < services.progressIntervalNanos()) {
            return;
        }
        lastProgressNanos = now;
        publish(JobEventMessage.progress(jobId, services.instance(), p));
    }

    /** Adds {@code nanos} to the job's time spent in {@code what} (e.g. "unet"), reported as what_ms and what_calls. */
    public void addTiming(String what, long nanos) {
        long[] t = timings.computeIfAbsent(what, k -> new long[2]);
        t[0] += nanos;
        t[1]++;
        meters.timing(what, nanos);
    }

    /**
     * Marks the start of the job's first denoising step (later calls do nothing): its wall-clock time since the
     * submission is reported as first_step_ms, the queue overhead a user waits before any compute.
     */
    public void firstStep() {
        if (firstStepMs == null && submitted != null) {
            firstStepMs = Math.max(0, Duration.between(submitted, Instant.now()).toMillis());
        }
    }

    /** This job's total of one {@link #addTiming} name so far: {nanoseconds, calls}. */
    public long[] timing(String what) {
        long[] t = timings.get(what);
        return t == null ? new long[2] : t.clone();
    }

    /** Sends the job's timings to the worker's meters as well. */
    void meter(WorkerMetrics.JobMeters jobMeters) {
        this.meters = jobMeters;
    }

    /** The timings for the SUCCEEDED event: what_ms and what_calls per {@link #addTiming} name. */
    Map<String, Long> timings() {
        Map<String, Long> out = new LinkedHashMap<>();
        if (firstStepMs != null) {
            out.put("first_step_ms", firstStepMs);
        }
        timings.forEach((k, v) -> {
            out.put(k + "_ms", v[0] / 1_000_000);
            out.put(k + "_calls", v[1]);
        });
        return out;
    }

    /**
     * Sends an event without waiting and keeps it until acknowledged; acknowledged ones are dropped and failed ones
     * sent again, so the list stays short. A send the broker refuses at once is kept for {@link #awaitEvents}.
     */
    void publish(JobEventMessage event) {
        Future<?> ack;
        try {
            ack = services.publishAsync(event);
        } catch (RuntimeException e) {
            ack = CompletableFuture.failedFuture(e);
        }
        List<PendingEvent> done =
                pendingEvents.stream().filter(p -> p.ack().isDone()).toList();
        done.forEach(this::confirm);
        pendingEvents.removeAll(done);
        pendingEvents.add(new PendingEvent(event, ack));
    }

    /**
     * Waits until every event this job published without waiting is acknowledged; one whose send failed (the broker
     * was away) is sent again until it is, within the outage bound. Events are idempotent at the gateway.
     */
    void awaitEvents() {
        pendingEvents.forEach(this::confirm);
        pendingEvents.clear();
    }

    /** Publishes an event and waits for it, riding out a broker outage. */
    void publishNow(JobEventMessage event) {
        outages.run("report " + event.event(), () -> services.publish(event));
    }

    /**
     * Waits for an event's acknowledgement; an OUTPUT whose send failed is sent again (riding out the outage), a
     * PROGRESS or PREVIEW is dropped: a later one says more.
     */
    private void confirm(PendingEvent p) {
        try {
            JsonProducer.await(List.of(p.ack()));
        } catch (BrokerUnavailableException e) {
            JobEventType type = p.event().event();
            if (type != JobEventType.PROGRESS && type != JobEventType.PREVIEW) {
                publishNow(p.event());
            }
        }
    }
}
