package io.campanile.gateway.persistence;

import io.campanile.contracts.JobStatus;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A job row. {@code params} and {@code inputs} hold JSON; {@code version} grows with every change. */
@Entity
@Table(name = "jobs")
public class JobEntity extends PanacheEntityBase {
    @Id
    public UUID id;

    /** The tenant of the API key that submitted the job. */
    public String tenant;

    public String type;
    public String model;

    @Enumerated(EnumType.STRING)
    public JobStatus status;

    public long seed;
    public String params;
    public String inputs;

    @Column(name = "idempotency_key")
    public String idempotencyKey;

    @Column(name = "request_hash")
    public String requestHash;

    @Column(name = "progress_stage")
    public String progressStage;

    @Column(name = "progress_step")
    public Integer progressStep;

    @Column(name = "progress_total")
    public Integer progressTotal;

    public String error;
    /** JSON object of the worker's timings (run_ms, unet_ms, ...), once SUCCEEDED. */
    public String timings;
    /** JSON array of warnings given when the job was accepted. */
    public String warnings;
    /** JSON object of optional progress details (training: epoch, loss, images_per_second, eta_seconds). */
    @Column(name = "progress_detail")
    public String progressDetail;
    /** The worker instance that ran (or runs) the job. */
    public String worker;
    /** Which start of the job by its current stage this is (counted in storage), once a worker reported one. */
    public Integer attempt;
    /**
     * Until when the running attempt holds the job unless its worker renews the lease; null while no worker holds
     * it (queued, handed to the next stage's queue, or started by a worker that takes no lease).
     */
    @Column(name = "lease_expires_at")
    public Instant leaseExpiresAt;

    /** The request topic whose dispatch window the job occupies (ADR 0016); null for jobs from before V5. */
    @Column(name = "dispatch_lane")
    public String dispatchLane;

    /** When the dispatcher released the job to its first topic; null while it waits in {@code dispatch_queue}. */
    @Column(name = "dispatched_at")
    public Instant dispatchedAt;

    @Column(name = "cancel_requested")
    public boolean cancelRequested;

    public long version;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    /** When a delete of this finished job began; its rows go once storage deleted its data (null: not deleting). */
    @Column(name = "deleting_at")
    public Instant deletingAt;

    /** Records a change: bumps the version and the update time. */
    public void touch(Instant now) {
        version++;
        updatedAt = now;
    }
}
