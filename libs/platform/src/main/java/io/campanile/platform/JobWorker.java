package io.campanile.platform;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.campanile.contracts.AttemptCount;
import io.campanile.contracts.JobEventMessage;
import io.campanile.contracts.JobRequestMessage;
import io.campanile.contracts.Json;
import io.campanile.contracts.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

/**
 * The job flow every worker shares: read a request, skip it when cancelled, record the start durably and give up on a
 * job started too often, report STARTED and renew the job's lease while it runs, run the operation for its job type,
 * and report SUCCEEDED, FAILED (with the reason) or CANCELLED. A job handed back (the worker stops, or its partition
 * moved) reports nothing final: it is redelivered. Malformed requests and job types this worker does not run go to
 * dead-letters and their job fails with that reason.
 */
public final class JobWorker implements ConsumerLoop.RecordHandler {
    private static final Logger LOG = Logger.getLogger(JobWorker.class);
    /** How long a job waits for job-control to be read before it starts: the first job after a start waits longest. */
    private static final Duration CANCELLATIONS_WAIT = Duration.ofSeconds(10);

    /**
     * The clients a job reports through.
     *
     * @param topic the request topic this worker consumes: starts are counted per topic and job
     * @param previews how often a job's denoising loop publishes a preview
     */
    public record Services(
            JsonProducer producer,
            StorageClient storage,
            CancellationRegistry cancellations,
            String instance,
            long progressIntervalNanos,
            String topic,
            JobPolicy policy,
            PreviewPolicy previews) {

        /** Services with the default previews (every 5 steps, at most 2 per second). */
        public Services(
                JsonProducer producer,
                StorageClient storage,
                CancellationRegistry cancellations,
                String instance,
                long progressIntervalNanos,
                String topic,
                JobPolicy policy) {
            this(
                    producer,
                    storage,
                    cancellations,
                    instance,
                    progressIntervalNanos,
                    topic,
                    policy,
                    PreviewPolicy.DEFAULT);
        }

        void publish(JobEventMessage event) {
            producer.send(Topics.JOB_EVENTS, event.jobId().toString(), event);
        }

        Future<?> publishAsync(JobEventMessage event) {
            return producer.sendAsync(Topics.JOB_EVENTS, event.jobId().toString(), event);
        }
    }

    private final Operations operations;
    private final Services services;
    private final Heartbeats heartbeats;
    private final WorkerMetrics metrics;
    /** Set when the service stops: a job that breaks from then on (a library refusing work at JVM shutdown) is
     * handed back rather than FAILED for the stop. */
    private volatile boolean stopping;
    /** Jobs running on this replica's slots now. */
    private final Set<UUID> running = ConcurrentHashMap.newKeySet();

    /** @param operations the pipelines of the job types this worker runs */
    public JobWorker(Operations operations, Services services) {
        this(operations, services, WorkerMetrics.none());
    }

    /** @param metrics the meters of the jobs' run and UNet times */
    public JobWorker(Operations operations, Services services, WorkerMetrics metrics) {
        this.operations = operations;
        this.services = services;
        this.heartbeats = new Heartbeats(services);
        this.metrics = metrics;
    }

    @Override
    public void handle(ConsumerRecord<String, String> record, BooleanSupplier handBack) {
        CompletableFuture<?> finish = handleThenFinish(record, handBack);
        if (finish != null) {
            Futures.join(finish);
        }
    }

    /**
     * Runs the job's operation on the calling slot, and returns its end (outputs still being stored, the final event,
     * the finish recorded) running off the slot ({@link JobFinish}), or null when the job ended on the slot.
     */
    @Override
    public CompletableFuture<?> handleThenFinish(ConsumerRecord<String, String> record, BooleanSupplier handBack) {
        JobRequestMessage request = parse(record.value());
        Operation<?> op = operations
                .find(request.jobType())
                .orElseThrow(() -> new PoisonMessageException("job type '" + request.jobType() + "' is not run by "
                        + services.instance() + " (runs " + operations + ")"));
        UUID jobId = request.jobId();
        if (!running.add(jobId)) {
            // Concurrent slots (campanile.worker.concurrent-jobs) can hand a second delivery of a running job to
            // another slot; the copy running holds the partition's commit back until it ends, so nothing is lost.
            LOG.infof("job %s is running here already: a duplicate delivery, skipped", jobId);
            return null;
        }
        CompletableFuture<?> finish = null;
        try {
            finish = handle(request, op, handBack);
            return finish == null ? null : finish.whenComplete((v, e) -> running.remove(jobId));
        } finally {
            if (finish == null) {
                running.remove(jobId);
            }
        }
    }

    private CompletableFuture<Void> handle(JobRequestMessage request, Operation<?> op, BooleanSupplier handBack) {
        UUID jobId = request.jobId();
        JobContext context = new JobContext(request, services, handBack);
        if (request.embeddings() != null) {
            // read the prompt states while the start is recorded and reported: the first step needs them
            context.inputs().prefetch(request.embeddings().values());
        }
        WorkerMetrics.JobMeters meters = metrics.forJob(request.jobType(), request.model());
        context.events().meter(meters);
        Outages outages = context.outages();
        // The start is recorded while job-control is read up to date (a queued job's cancellation may be in flight);
        // a cancelled job's start recorded this way is never finished, and the job is never run.
        CompletableFuture<AttemptCount> recorded = services.storage()
                .inBackground(() -> outages.retry(
                        "record the start", () -> services.storage().recordAttempt(services.topic(), jobId)));
        services.cancellations().awaitCaughtUp(CANCELLATIONS_WAIT);
        if (services.cancellations().isCancelled(jobId)) {
            context.events().publishNow(JobEventMessage.cancelled(jobId, services.instance()));
            return null;
        }
        AttemptCount start = Futures.join(recorded);
        if (start.finished()) {
            LOG.infof("job %s was finished here before: a duplicate delivery, skipped", jobId);
            JobEventMessage finalEvent = recorded(jobId, start.finalEvent());
            if (finalEvent != null) { // the worker that finished it may have died before publishing it
                context.events().publishNow(finalEvent);
            }
            return null;
        }
        int attempt = start.attempt();
        JobFinish end = new JobFinish(services, context, () -> stopping);
        if (attempt > services.policy().maxStarts()) {
            LOG.warnf("job %s started %d times without finishing: failing it", jobId, attempt - 1);
            end.end(
                    null,
                    JobEventMessage.failed(
                            jobId,
                            services.instance(),
                            "the job was started "
                                    + (attempt - 1) + " times by " + services.topic()
                                    + " workers without finishing (each worker "
                                    + "died or was stopped while it ran); campanile.worker.max-starts = "
                                    + services.policy().maxStarts()));
            return null;
        }
        if (services.policy().haltModel().filter(m -> m.equals(request.model())).isPresent()) {
            LOG.errorf("job %s is on the chaos halt model %s: halting this JVM", jobId, request.model());
            Runtime.getRuntime().halt(137);
        }
        // How long the job waited from its submission until this worker started it (across every earlier stage)
        Long queuedMs = request.createdAt() == null
                ? null
                : Math.max(
                        0, Duration.between(request.createdAt(), Instant.now()).toMillis());
        Heartbeats.Lease lease = heartbeats.start(jobId, attempt, context);
        long t0 = System.nanoTime();
        try {
            operations.run(op, request, context);
        } catch (JobHandedBackException e) {
            lease.close();
            LOG.infof("job %s handed back: %s", jobId, e.getMessage());
            throw e;
        } catch (RuntimeException e) {
            try {
                end.failed(lease, e);
            } catch (JobHandedBackException h) {
                LOG.infof("job %s handed back: %s", jobId, h.getMessage());
                throw h;
            } finally {
                lease.close();
            }
            return null;
        } catch (Error e) {
            lease.close();
            throw e;
        }
        return end.succeedOffSlot(lease, meters, t0, System.nanoTime(), queuedMs);
    }

    /** The service is stopping: failures from now on hand the job back instead of failing it. */
    void stopping() {
        stopping = true;
    }

    @Override
    public void onDeadLetter(ConsumerRecord<String, String> record, String reason) {
        UUID jobId = Ids.parseOrNull(record.key());
        if (jobId != null) {
            new Outages(services.policy().outage(), () -> stopping)
                    .run(
                            "report the dead letter",
                            () -> services.publish(JobEventMessage.failed(jobId, services.instance(), reason)));
        }
    }

    /** The final event recorded with a finish, or null (none, or one this worker cannot read: the job is done). */
    private static JobEventMessage recorded(UUID jobId, String json) {
        if (json == null) {
            return null;
        }
        try {
            return Json.mapper().readValue(json, JobEventMessage.class);
        } catch (JsonProcessingException e) {
            LOG.warnf("job %s: its recorded final event is unreadable here, not sent again: %s", jobId, e.getMessage());
            return null;
        }
    }

    private static JobRequestMessage parse(String json) {
        JobRequestMessage m;
        try {
            m = Json.mapper().readValue(json, JobRequestMessage.class);
        } catch (JsonProcessingException e) {
            throw new PoisonMessageException("malformed job request: " + e.getOriginalMessage());
        }
        if (!JobRequestMessage.TYPE.equals(m.type())) {
            throw new PoisonMessageException("unexpected message type '" + m.type() + "'");
        }
        if (m.schemaVersion() != JobRequestMessage.SCHEMA_VERSION) {
            throw new PoisonMessageException("unsupported schema version " + m.schemaVersion());
        }
        if (m.jobId() == null || m.jobType() == null) {
            throw new PoisonMessageException("job request without job id or job type");
        }
        return m;
    }
}
