package io.campanile.platform;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.campanile.contracts.JobEventMessage;
import io.campanile.contracts.JobRequestMessage;
import io.campanile.contracts.Json;
import io.campanile.contracts.Topics;
import io.campanile.diffusion.image.InvalidImageException;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

/**
 * The job flow every worker shares: read a request, skip it when cancelled, report STARTED, run the operation for its
 * job type, report SUCCEEDED, FAILED (with the reason) or CANCELLED. Malformed requests and job types this worker
 * does not run go to dead-letters and their job fails with that reason.
 */
public final class JobWorker implements ConsumerLoop.RecordHandler {
    private static final Logger LOG = Logger.getLogger(JobWorker.class);
    /** How long a job waits for job-control to be read before it starts: the first job after a start waits longest. */
    private static final java.time.Duration CANCELLATIONS_WAIT = java.time.Duration.ofSeconds(10);

    /** One job type's pipeline. */
    @FunctionalInterface
    public interface Operation {
        void run(JobContext job);
    }

    /** The clients a job reports through. */
    public record Services(JsonProducer producer, StorageClient storage, CancellationRegistry cancellations,
            String instance, long progressIntervalNanos) {
        void publish(JobEventMessage event) {
            producer.send(Topics.JOB_EVENTS, event.jobId().toString(), event);
        }

        java.util.concurrent.Future<?> publishAsync(JobEventMessage event) {
            return producer.sendAsync(Topics.JOB_EVENTS, event.jobId().toString(), event);
        }
    }

    private final Map<String, Operation> operations;
    private final Services services;

    /** @param operations pipelines by job type wire name */
    public JobWorker(Map<String, Operation> operations, Services services) {
        this.operations = Map.copyOf(operations);
        this.services = services;
    }

    @Override
    public void handle(ConsumerRecord<String, String> record) {
        JobRequestMessage request = parse(record.value());
        Operation op = operations.get(request.jobType());
        if (op == null) {
            throw new PoisonMessageException("job type '" + request.jobType() + "' is not run by "
                    + services.instance() + " (runs " + operations.keySet() + ")");
        }
        UUID jobId = request.jobId();
        services.cancellations().awaitCaughtUp(CANCELLATIONS_WAIT); // a queued job's cancellation may be in flight
        if (services.cancellations().isCancelled(jobId)) {
            services.publish(JobEventMessage.cancelled(jobId, services.instance()));
            return;
        }
        services.publish(JobEventMessage.started(jobId, services.instance()));
        long t0 = System.nanoTime();
        try {
            JobContext context = new JobContext(request, services);
            op.run(context);
            context.awaitEvents(); // every OUTPUT and PROGRESS is acknowledged before the job is reported done
            if (!context.continued()) {
                java.util.Map<String, Long> timings = new java.util.LinkedHashMap<>();
                timings.put("run_ms", (System.nanoTime() - t0) / 1_000_000);
                timings.putAll(context.timings());
                services.publish(JobEventMessage.succeeded(jobId, services.instance(), timings));
            }
            LOG.infof("job %s (%s) succeeded in %d ms", jobId, request.jobType(), (System.nanoTime() - t0) / 1_000_000);
        } catch (JobCancelledException e) {
            services.publish(JobEventMessage.cancelled(jobId, services.instance()));
        } catch (ConsumerLoop.RetriableException | BrokerUnavailableException e) {
            throw e;
        } catch (JobFailedException | InvalidImageException | IllegalArgumentException e) {
            LOG.infof("job %s failed: %s", jobId, e.getMessage());
            services.publish(JobEventMessage.failed(jobId, services.instance(), e.getMessage()));
        } catch (RuntimeException e) {
            LOG.errorf(e, "job %s failed unexpectedly", jobId);
            services.publish(JobEventMessage.failed(jobId, services.instance(),
                    "internal error in " + services.instance() + ": " + e));
        }
    }

    @Override
    public void onDeadLetter(ConsumerRecord<String, String> record, String reason) {
        UUID jobId = Ids.parseOrNull(record.key());
        if (jobId != null) {
            services.publish(JobEventMessage.failed(jobId, services.instance(), reason));
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
