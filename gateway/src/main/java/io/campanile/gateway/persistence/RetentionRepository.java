package io.campanile.gateway.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** What retention deletes in the gateway's tables, in the caller's transaction. */
@ApplicationScoped
@TranslatesDatabaseFailures
public class RetentionRepository {
    private final EntityManager em;

    @Inject
    RetentionRepository(EntityManager em) {
        this.em = em;
    }

    /**
     * Up to {@code limit} jobs to delete, locked {@code FOR UPDATE SKIP LOCKED} so that several replicas sweep side
     * by side: jobs marked for deletion before {@code markedBefore} (a delete cut short), and finished jobs that
     * finished before {@code finishedBefore}, in no particular order (a backlog is worked off a batch at a time
     * without sorting it).
     */
    @SuppressWarnings("unchecked")
    public List<UUID> lockDeletable(Instant markedBefore, Instant finishedBefore, int limit) {
        return em.createNativeQuery("select id from jobs where deleting_at < ?1 "
                        + "or (status in ('SUCCEEDED', 'FAILED', 'CANCELLED') and finished_at < ?2) "
                        + "limit ?3 for update skip locked")
                .setParameter(1, markedBefore)
                .setParameter(2, finishedBefore)
                .setParameter(3, limit)
                .getResultList();
    }

    /** Deletes the job's rows: its outputs, then the job. Nothing when it is gone already. */
    public void deleteJob(UUID id) {
        em.createNativeQuery("delete from job_outputs where job_id = ?1")
                .setParameter(1, id)
                .executeUpdate();
        em.createNativeQuery("delete from jobs where id = ?1")
                .setParameter(1, id)
                .executeUpdate();
    }

    /** Deletes up to {@code limit} ids of job events applied before {@code cutoff}; returns how many. */
    public int pruneProcessedEvents(Instant cutoff, int limit) {
        return em.createNativeQuery("delete from processed_events where event_id in (select event_id "
                        + "from processed_events where processed_at < ?1 limit ?2)")
                .setParameter(1, cutoff)
                .setParameter(2, limit)
                .executeUpdate();
    }
}
