package io.campanile.gateway.service;

import io.campanile.contracts.BlobRef;
import io.campanile.contracts.JobRequestMessage;
import io.campanile.contracts.JobStatus;
import io.campanile.gateway.auth.Caller;
import io.campanile.gateway.messaging.BrokerStatus;
import io.campanile.gateway.persistence.DatabaseException;
import io.campanile.gateway.persistence.DispatchQueueRepository;
import io.campanile.gateway.persistence.JobEntity;
import io.campanile.gateway.persistence.JobRepository;
import io.campanile.gateway.persistence.OutboxRepository;
import io.campanile.platform.JsonProducer;
import io.campanile.platform.StorageClient;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Accepts a job: validate, check the tenant's quotas, store the input images, register the job with storage (its
 * tenant, and holds on its inputs), then write the job and its request message (queued for dispatch) in one
 * transaction. Nothing is half-created: a failure before the commit leaves no job (input blobs are content-addressed,
 * and a registration without a job is undone). After the commit the dispatcher releases the request to the outbox
 * when its lane's window has room, fairly across tenants (ADR 0016), and the relay publishes it.
 */
@ApplicationScoped
public class JobSubmission {
    private static final Logger LOG = Logger.getLogger(JobSubmission.class);
    private final JobRequestValidator validator;
    private final StorageClient storage;
    private final BrokerStatus broker;
    private final JobRepository jobs;
    private final OutboxRepository outbox;
    private final DispatchQueueRepository queue;
    private final Quotas quotas;
    private final Dispatcher dispatcher;

    @Inject
    JobSubmission(
            JobRequestValidator validator,
            StorageClient storage,
            BrokerStatus broker,
            JobRepository jobs,
            OutboxRepository outbox,
            DispatchQueueRepository queue,
            Quotas quotas,
            Dispatcher dispatcher) {
        this.validator = validator;
        this.storage = storage;
        this.broker = broker;
        this.jobs = jobs;
        this.outbox = outbox;
        this.queue = queue;
        this.quotas = quotas;
        this.dispatcher = dispatcher;
    }

    /** The accepted job, and whether it is an earlier job returned for a repeated idempotency key. */
    public record Accepted(JobEntity job, boolean replayed) {}

    /**
     * Accepts a job of {@code caller}'s tenant; an idempotency key is looked up among that tenant's jobs only, and a
     * repeated one returns the earlier job without counting against the quotas.
     *
     * @throws QuotaExceededException when the tenant is over one of its limits
     */
    public Accepted submit(String body, String idempotencyKey, Caller caller) {
        String tenant = caller.tenant();
        ValidatedJob v = validator.validate(body);
        if (idempotencyKey != null) {
            if (idempotencyKey.isBlank() || idempotencyKey.length() > 200) {
                throw new InvalidRequestException(
                        "Idempotency-Key", "the Idempotency-Key header must be 1 to 200 characters");
            }
            Optional<Accepted> earlier = replay(tenant, idempotencyKey, v.requestHash());
            if (earlier.isPresent()) {
                return earlier.get();
            }
        }
        if (!broker.available()) {
            throw new ServiceUnavailableException("the message broker is unavailable, retry later");
        }
        // before the inputs are stored, so that a tenant over a limit costs storage nothing; checked again under the
        // tenant's lock when the job is inserted
        QuarkusTransaction.requiringNew().run(() -> quotas.checkCounts(tenant, false));
        quotas.checkStoredBytes(
                tenant, v.images().values().stream().mapToLong(b -> b.length).sum());
        Map<String, BlobRef> inputs = new LinkedHashMap<>();
        v.images().forEach((field, bytes) -> inputs.put(field, storage.putBlob(bytes, mediaType(bytes))));
        UUID id = UUID.randomUUID();
        // storage holds the inputs from here on, and knows the tenant that the job's outputs count against
        storage.registerJob(
                id,
                tenant,
                inputs.values().stream().map(BlobRef::sha256).distinct().toList());
        try {
            JobEntity job = QuarkusTransaction.requiringNew().call(() -> insert(id, v, inputs, idempotencyKey, tenant));
            dispatcher.wake();
            return new Accepted(job, false);
        } catch (DatabaseException e) {
            // a statement failed (the repositories translate those; a failed commit is another exception), so the
            // transaction rolled back and the job does not exist
            release(id);
            if (idempotencyKey != null) { // a concurrent request with the same key won the race
                Optional<Accepted> earlier = replay(tenant, idempotencyKey, v.requestHash());
                if (earlier.isPresent()) {
                    return earlier.get();
                }
            }
            throw e;
        }
    }

    /**
     * Undoes a job's registration in storage when the job was not inserted. Best effort: one that stays (storage down
     * just now) only keeps the inputs held.
     */
    private void release(UUID id) {
        try {
            storage.deleteJob(id);
        } catch (RuntimeException e) {
            LOG.warnf("registration of job %s not undone in storage, its inputs stay held: %s", id, e.toString());
        }
    }

    private Optional<Accepted> replay(String tenant, String key, String requestHash) {
        return QuarkusTransaction.requiringNew()
                .call(() -> jobs.findByIdempotencyKey(tenant, key))
                .map(job -> {
                    if (!requestHash.equals(job.requestHash)) {
                        throw new ConflictException(
                                "Idempotency-Key",
                                "Idempotency-Key '" + key + "' was used for a different request (job " + job.id + ")");
                    }
                    return new Accepted(job, true);
                });
    }

    private JobEntity insert(
            UUID id, ValidatedJob v, Map<String, BlobRef> inputs, String idempotencyKey, String tenant) {
        quotas.checkCounts(tenant, true);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        JobEntity job = new JobEntity();
        job.id = id;
        job.tenant = tenant;
        // the window is that of the worker kind doing the job's main work, whichever topic it enters by (ADR 0016)
        job.dispatchLane = v.type().firstTopic();
        job.type = v.type().wireName();
        job.model = v.model();
        job.status = JobStatus.QUEUED;
        job.seed = v.seed();
        job.params = v.params().toString();
        job.inputs = JsonProducer.toJson(inputs);
        job.idempotencyKey = idempotencyKey;
        job.requestHash = v.requestHash();
        job.warnings = v.warnings().isEmpty() ? null : JsonProducer.toJson(v.warnings());
        job.createdAt = now;
        job.updatedAt = now;
        jobs.insert(job);
        JobRequestMessage msg = JobRequestMessage.builder()
                .jobId(job.id)
                .jobType(job.type)
                .model(job.model)
                .seed(job.seed)
                .params(v.params())
                .inputs(inputs)
                .createdAt(now)
                .build();
        queue.insert(job.id, tenant, job.dispatchLane, v.topic(), JsonProducer.toJson(msg), now);
        JobUpdates.announce(outbox, job);
        return job;
    }

    private static String mediaType(byte[] b) {
        return b.length > 3 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8 ? "image/jpeg" : "image/png";
    }
}
