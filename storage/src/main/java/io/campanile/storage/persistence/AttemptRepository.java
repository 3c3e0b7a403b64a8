package io.campanile.storage.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.UUID;

/** Rows of {@code attempts}: how many times a consumer has started a job. */
@ApplicationScoped
public class AttemptRepository {
    @Inject
    EntityManager em;

    /**
     * Counts one more start of {@code jobId} by {@code consumer} and returns the count, this start included. One
     * statement (insert, or increment on conflict), so concurrent starts get distinct counts without a lost update.
     */
    @Transactional
    public int increment(String consumer, UUID jobId) {
        Object count = em.createNativeQuery("insert into attempts (consumer, job_id, count) values (?1, ?2, 1) "
                + "on conflict (consumer, job_id) do update set count = attempts.count + 1, last_at = now() "
                + "returning count")
                .setParameter(1, consumer).setParameter(2, jobId).getSingleResult();
        return ((Number) count).intValue();
    }
}
