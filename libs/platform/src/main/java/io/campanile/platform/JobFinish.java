package io.campanile.platform;

import io.campanile.contracts.JobEventMessage;
import io.campanile.diffusion.image.InvalidImageException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * How a job that ran ends: SUCCEEDED (or HANDED_OFF) once its outputs are in storage and its events acknowledged,
 * FAILED or CANCELLED with the reason; the finish is recorded in storage with the final event before it is published
 * ({@link #end}).
 *
 * <p>A job whose operation returned ends off its work slot ({@link #succeedOffSlot}): the slot takes the next job while
 * this one's last outputs are still being stored, so storage overlaps the next job's compute. Its record is done, and
 * its offset committed, only when that end completes; a worker that dies meanwhile leaves it to be redelivered, as
 * one that dies mid-job does. The job's {@code run_ms} is from its start to its final event; {@code compute_ms} is the
 * part that held the slot.
 */
final class JobFinish {
    private static final Logger LOG = Logger.getLogger(JobWorker.class);
    /** Daemon threads that end jobs off their slots. */
    private static final ExecutorService ENDS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "job-end");
        t.setDaemon(true);
        return t;
    });

    private final JobWorker.Services services;
    private final JobContext context;
    private final UUID jobId;
    private final BooleanSupplier stopping;

    JobFinish(JobWorker.Services services, JobContext context, BooleanSupplier stopping) {
        this.services = services;
        this.context = context;
        this.jobId = context.request().jobId();
        this.stopping = stopping;
    }

    /**
     * Ends the job off the slot: waits for its outputs and events, reports SUCCEEDED with its timings (or HANDED_OFF),
     * and records the finish. The future fails with {@link JobHandedBackException} when the job is handed back
     * meanwhile; any other failure is reported as the job's.
     *
     * @param t0 when the operation started (nanoTime); {@code computed} when it returned
     * @param queuedMs submission to this worker's start, or null
     */
    CompletableFuture<Void> succeedOffSlot(
            Heartbeats.Lease lease, WorkerMetrics.JobMeters meters, long t0, long computed, Long queuedMs) {
        return CompletableFuture.runAsync(
                () -> {
                    try {
                        succeed(lease, meters, t0, computed, queuedMs);
                    } catch (JobHandedBackException e) {
                        LOG.infof("job %s handed back: %s", jobId, e.getMessage());
                        throw e;
                    } catch (RuntimeException e) {
                        failed(lease, e);
                    } finally {
                        lease.close();
                    }
                },
                ENDS);
    }

    private void succeed(
            Heartbeats.Lease lease, WorkerMetrics.JobMeters meters, long t0, long computed, Long queuedMs) {
        context.outputs().awaitStored();
        context.events().awaitEvents(); // every OUTPUT and PROGRESS is acknowledged before the job is reported done
        if (context.nextTopic() != null) {
            end(lease, JobEventMessage.handedOff(jobId, services.instance(), context.nextTopic()));
        } else {
            Map<String, Long> timings = new LinkedHashMap<>();
            timings.put("run_ms", (System.nanoTime() - t0) / 1_000_000);
            timings.put("compute_ms", (computed - t0) / 1_000_000); // the part that held the work slot
            if (queuedMs != null) {
                timings.put("queued_ms", queuedMs); // submission to this worker's start, by the wall clock
            }
            timings.putAll(context.events().timings());
            end(lease, JobEventMessage.succeeded(jobId, services.instance(), timings));
        }
        long nanos = System.nanoTime() - t0;
        meters.ran(nanos);
        LOG.infof("job %s (%s) succeeded in %d ms", jobId, context.request().jobType(), nanos / 1_000_000);
    }

    /**
     * Reports the job's failure (CANCELLED, or FAILED with the reason); a failure while the worker stops or hands the
     * job back hands it back instead ({@link JobHandedBackException}), to be redelivered.
     */
    void failed(Heartbeats.Lease lease, RuntimeException e) {
        if (context.handBack().getAsBoolean() || stopping.getAsBoolean()) {
            throw new JobHandedBackException("stopped while the worker stops: " + e);
        }
        end(lease, finalEvent(e));
    }

    /**
     * Ends the job with its final event: records in storage that this worker kind finished the job, with that event,
     * then stops the lease and publishes the event. A later delivery of the same request (the worker died before its
     * offset was committed, a request published twice across a broker outage) is answered {@code finished} with the
     * event, publishes it again (the gateway applies an event id once) and does not run the job again: the job ends
     * exactly once even when the worker dies between the record and the publish. The lease is renewed while the
     * record waits out a storage outage.
     *
     * <p>Storage keeps the first final event recorded. Once it is recorded, a publish that fails past the outage bound
     * hands the job back ({@link JobHandedBackException}): the next delivery publishes the recorded event. Recording is
     * best effort: past the outage bound the event is published unrecorded (a duplicate delivery would run the job
     * again); an event storage refuses (past its size limit) is published with the finish recorded alone.
     *
     * @param lease the job's lease, or null when it holds none
     */
    void end(Heartbeats.Lease lease, JobEventMessage event) {
        boolean recorded = false;
        try {
            context.outages()
                    .run("record the finish", () -> services.storage().finishAttempt(services.topic(), jobId, event));
            recorded = true;
        } catch (JobHandedBackException e) {
            throw e;
        } catch (IllegalArgumentException refused) { // a 4xx: the event itself (past storage's size limit)
            LOG.warnf("job %s: finish recorded without its event: %s", jobId, refused.getMessage());
            try {
                services.storage().finishAttempt(services.topic(), jobId, null);
            } catch (RuntimeException again) {
                LOG.warnf("job %s: finish not recorded: %s", jobId, again.getMessage());
            }
        } catch (RuntimeException e) {
            LOG.warnf("job %s: finish not recorded: %s", jobId, e.getMessage());
        }
        if (lease != null) {
            lease.stop();
        }
        try {
            context.events().publishNow(event);
        } catch (JobHandedBackException e) {
            throw e;
        } catch (RuntimeException e) {
            if (!recorded) {
                throw e;
            }
            throw new JobHandedBackException("the final event is recorded but could not be published: " + e);
        }
    }

    private JobEventMessage finalEvent(RuntimeException e) {
        if (e instanceof JobCancelledException) {
            return JobEventMessage.cancelled(jobId, services.instance());
        }
        if (e instanceof JobFailedException
                || e instanceof InvalidImageException
                || e instanceof IllegalArgumentException) {
            LOG.infof("job %s failed: %s", jobId, e.getMessage());
            return JobEventMessage.failed(jobId, services.instance(), e.getMessage());
        }
        LOG.errorf(e, "job %s failed unexpectedly", jobId);
        return JobEventMessage.failed(
                jobId, services.instance(), "internal error in " + services.instance() + ": " + e);
    }
}
