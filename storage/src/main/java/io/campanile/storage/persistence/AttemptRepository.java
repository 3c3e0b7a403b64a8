package io.campanile.storage.persistence;

import io.campanile.contracts.AttemptCount;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.UUID;

/** Rows of {@code attempts}: how many times a consumer has started a job. */
@ApplicationScoped
public class AttemptRepository {
    private final EntityManager em;

    @Inject
    AttemptRepository(EntityManager em) {
        this.em = em;
    }

    /**
     * Counts one more start of {@code jobId} by {@code consumer} and returns the count, this start included. One
     * statement (insert, or increment on conflict), so concurrent starts get distinct counts without a lost update.
     */
    @Transactional
    public AttemptCount increment(String consumer, UUID jobId) {
        Object[] row = (Object[]) em.createNativeQuery("insert into attempts (consumer, job_id, count) "
                        + "values (?1, ?2, 1) on conflict (consumer, job_id) do update set count = case when "
                        + "attempts.finished_at is null then attempts.count + 1 else attempts.count end, last_at = now() "
                        + "returning count, finished_at is not null, final_event")
                .setParameter(1, consumer)
                .setParameter(2, jobId)
                .getSingleResult();
        return new AttemptCount(((Number) row[0]).intValue(), (Boolean) row[1], (String) row[2]);
    }

    /**
     * Records that {@code consumer} finished {@code jobId}: later starts are answered as duplicates, with
     * {@code finalEvent} when it is not null. The first final event recorded stays the job's: a later finish keeps it.
     */
    @Transactional
    public void finish(String consumer, UUID jobId, String finalEvent) {
        if (finalEvent == null) { // a null bound to a native query has no type PostgreSQL can infer
            em.createNativeQuery(
                            "insert into attempts (consumer, job_id, count, finished_at) values (?1, ?2, 0, now()) "
                                    + "on conflict (consumer, job_id) do update set "
                                    + "finished_at = coalesce(attempts.finished_at, now())")
                    .setParameter(1, consumer)
                    .setParameter(2, jobId)
                    .executeUpdate();
            return;
        }
        em.createNativeQuery("insert into attempts (consumer, job_id, count, finished_at, final_event) "
                        + "values (?1, ?2, 0, now(), ?3) on conflict (consumer, job_id) do update set "
                        + "finished_at = coalesce(attempts.finished_at, now()), "
                        + "final_event = coalesce(attempts.final_event, excluded.final_event)")
                .setParameter(1, consumer)
                .setParameter(2, jobId)
                .setParameter(3, finalEvent)
                .executeUpdate();
    }
}
