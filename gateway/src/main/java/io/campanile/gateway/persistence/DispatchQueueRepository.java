package io.campanile.gateway.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Rows of {@code dispatch_queue}, the jobs accepted but not yet released to their worker's topic (ADR 0016), and the
 * in-flight counts of each lane's window. Every method runs in its caller's transaction.
 */
@ApplicationScoped
@TranslatesDatabaseFailures
public class DispatchQueueRepository {
    /** Key space of the lanes' advisory locks (the second key is the lane's hash). */
    private static final int LANE_LOCKS = 16_001;

    /** A job waiting for dispatch: where its request message goes, and the message. */
    public record Waiting(UUID jobId, String tenant, String topic, String payload, Instant createdAt) {}

    private final EntityManager em;

    @Inject
    DispatchQueueRepository(EntityManager em) {
        this.em = em;
    }

    /** Queues the request message of a job just inserted (same transaction). */
    public void insert(UUID jobId, String tenant, String lane, String topic, String payload, Instant createdAt) {
        em.createNativeQuery("insert into dispatch_queue (job_id, tenant, lane, topic, payload, created_at)"
                        + " values (?1, ?2, ?3, ?4, ?5, ?6)")
                .setParameter(1, jobId)
                .setParameter(2, tenant)
                .setParameter(3, lane)
                .setParameter(4, topic)
                .setParameter(5, payload)
                .setParameter(6, createdAt)
                .executeUpdate();
    }

    /** The lanes that have waiting jobs. */
    @SuppressWarnings("unchecked")
    public List<String> lanesWithWaitingJobs() {
        return em.createNativeQuery("select distinct lane from dispatch_queue").getResultList();
    }

    /**
     * Takes the lane's lock until the transaction ends: one dispatcher at a time per lane, across gateway replicas, so
     * that the window is never overfilled. A dispatcher that waits here reads the counts after the holder committed.
     */
    public void lockLane(String lane) {
        em.createNativeQuery("select 1 from (select pg_advisory_xact_lock(?1, hashtext(?2))) l")
                .setParameter(1, LANE_LOCKS)
                .setParameter(2, lane)
                .getSingleResult();
    }

    /** The lane's jobs in flight (dispatched, not ended) by tenant. */
    public Map<String, Long> inFlightByTenant(String lane) {
        List<?> rows = em.createNativeQuery("select tenant, count(*) from jobs where dispatch_lane = ?1"
                        + " and dispatched_at is not null and status in ('QUEUED', 'RUNNING') group by tenant")
                .setParameter(1, lane)
                .getResultList();
        Map<String, Long> out = new HashMap<>();
        for (Object row : rows) {
            Object[] r = (Object[]) row;
            out.put((String) r[0], ((Number) r[1]).longValue());
        }
        return out;
    }

    /** The oldest {@code perTenant} waiting jobs of every tenant in the lane. */
    public List<Waiting> heads(String lane, int perTenant) {
        List<?> rows = em.createNativeQuery("select q.job_id, q.tenant, q.topic, q.payload, q.created_at"
                        + " from (select distinct tenant from dispatch_queue where lane = ?1) t"
                        + " cross join lateral (select * from dispatch_queue d where d.lane = ?1"
                        + " and d.tenant = t.tenant order by d.created_at, d.job_id limit ?2) q")
                .setParameter(1, lane)
                .setParameter(2, perTenant)
                .getResultList();
        return rows.stream()
                .map(row -> (Object[]) row)
                .map(r -> new Waiting((UUID) r[0], (String) r[1], (String) r[2], (String) r[3], SqlTimes.instant(r[4])))
                .toList();
    }

    /** Marks a QUEUED job dispatched; false when it is no longer QUEUED (cancelled or failed while it waited). */
    public boolean markDispatched(UUID jobId, Instant now) {
        return em.createNativeQuery("update jobs set dispatched_at = ?2 where id = ?1 and status = 'QUEUED'")
                        .setParameter(1, jobId)
                        .setParameter(2, now)
                        .executeUpdate()
                == 1;
    }

    /** Removes the job from the queue (dispatched, or ended while it waited); nothing when it is not there. */
    public void remove(UUID jobId) {
        em.createNativeQuery("delete from dispatch_queue where job_id = ?1")
                .setParameter(1, jobId)
                .executeUpdate();
    }
}
