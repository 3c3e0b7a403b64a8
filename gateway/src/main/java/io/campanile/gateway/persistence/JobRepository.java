package io.campanile.gateway.persistence;

import io.campanile.contracts.JobStatus;
import io.quarkus.panache.common.Parameters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Rows of {@code jobs}. Every method runs in its caller's transaction (the services begin them), and a job it returns
 * is managed: the caller's changes to it are written when that transaction commits.
 */
@ApplicationScoped
@TranslatesDatabaseFailures
public class JobRepository {
    private final EntityManager em;

    @Inject
    JobRepository(EntityManager em) {
        this.em = em;
    }

    /** The job, or null. */
    public JobEntity find(UUID id) {
        return JobEntity.findById(id);
    }

    /**
     * The job with its row locked until the transaction ends ({@code select ... for update}), or null: the writers of
     * job state (events, cancellations) change a job one at a time.
     */
    public JobEntity lockForUpdate(UUID id) {
        return em.find(JobEntity.class, id, LockModeType.PESSIMISTIC_WRITE);
    }

    /** The tenant's job accepted with this idempotency key, if any (a key is unique per tenant). */
    public Optional<JobEntity> findByIdempotencyKey(String tenant, String key) {
        return JobEntity.find("tenant = ?1 and idempotencyKey = ?2", tenant, key)
                .firstResultOptional();
    }

    /** Inserts a new job and flushes at once, so that a taken idempotency key fails here. */
    public void insert(JobEntity job) {
        job.persistAndFlush();
    }

    /**
     * Jobs newest first, by (created_at, id), at most {@code limit}; a null tenant, status or type does not filter,
     * and a non-null {@code beforeCreatedAt} starts the page after the job ({@code beforeCreatedAt}, {@code beforeId}).
     */
    public List<JobEntity> page(
            String tenant, JobStatus status, String type, Instant beforeCreatedAt, UUID beforeId, int limit) {
        StringBuilder q = new StringBuilder("1 = 1");
        Parameters p = new Parameters();
        if (tenant != null) {
            q.append(" and tenant = :tenant");
            p.and("tenant", tenant);
        }
        if (status != null) {
            q.append(" and status = :status");
            p.and("status", status);
        }
        if (type != null) {
            q.append(" and type = :type");
            p.and("type", type);
        }
        if (beforeCreatedAt != null) {
            q.append(" and (createdAt < :at or (createdAt = :at and id < :id))");
            p.and("at", beforeCreatedAt).and("id", beforeId);
        }
        q.append(" order by createdAt desc, id desc");
        return JobEntity.find(q.toString(), p).page(0, limit).list();
    }

    /**
     * RUNNING jobs whose lease expired before {@code cutoff}, oldest lease first, at most {@code limit}. This and the
     * next two lock their rows {@code FOR UPDATE SKIP LOCKED}: several reapers can work side by side, and a row that
     * another transaction holds is left for a later pass.
     */
    public List<JobEntity> lockLapsedLeases(Instant cutoff, int limit) {
        return lockStalled("status = 'RUNNING' and lease_expires_at < ?1 order by lease_expires_at", cutoff, limit);
    }

    /** QUEUED jobs created before {@code cutoff} (no worker ever started them), oldest first, locked. */
    public List<JobEntity> lockNeverStarted(Instant cutoff, int limit) {
        return lockStalled("status = 'QUEUED' and created_at < ?1 order by created_at", cutoff, limit);
    }

    /**
     * RUNNING jobs without a lease last changed before {@code cutoff} (handed off, waiting in the next stage's queue),
     * least recently changed first, locked.
     */
    public List<JobEntity> lockWaitingInNextQueue(Instant cutoff, int limit) {
        return lockStalled(
                "status = 'RUNNING' and lease_expires_at is null and updated_at < ?1 order by updated_at",
                cutoff,
                limit);
    }

    @SuppressWarnings("unchecked")
    private List<JobEntity> lockStalled(String clause, Instant cutoff, int limit) {
        return em.createNativeQuery(
                        "select * from jobs where " + clause + " limit " + limit + " for update skip locked",
                        JobEntity.class)
                .setParameter(1, cutoff)
                .getResultList();
    }
}
