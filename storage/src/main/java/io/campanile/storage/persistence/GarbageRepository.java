package io.campanile.storage.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;

/**
 * What retention deletes in storage: blobs nothing refers to, and the start counts of long-finished jobs. Each call
 * is one statement in its own transaction, bounded by {@code limit}.
 */
@ApplicationScoped
public class GarbageRepository {
    private final EntityManager em;

    @Inject
    GarbageRepository(EntityManager em) {
        this.em = em;
    }

    /** The database's clock: the collector judges ages by the clock that wrote {@code last_put_at}. */
    @Transactional
    public Instant now() {
        return BlobRepository.toInstant(em.createNativeQuery("select now()").getSingleResult());
    }

    /**
     * Deletes up to {@code limit} blobs last stored before {@code cutoff} that no image, ref or hold refers to;
     * returns how many. Candidates are locked {@code FOR UPDATE SKIP LOCKED}: a blob being stored again right now
     * (its row locked by the put) is left for a later pass, and several storage replicas collect side by side. The
     * age is checked again on the row deleted, so a put that committed in between keeps the blob.
     */
    @Transactional
    public int deleteUnreferenced(Instant cutoff, int limit) {
        return em.createNativeQuery("delete from blobs where sha256 in (select b.sha256 from blobs b "
                        + "where b.last_put_at < ?1 "
                        + "and not exists (select 1 from images i where i.png_sha256 = b.sha256) "
                        + "and not exists (select 1 from images i where i.tensor_sha256 = b.sha256) "
                        + "and not exists (select 1 from refs r where r.sha256 = b.sha256) "
                        + "and not exists (select 1 from holds h where h.sha256 = b.sha256) "
                        + "order by b.last_put_at limit ?2 for update skip locked) "
                        + "and last_put_at < ?1")
                .setParameter(1, cutoff)
                .setParameter(2, limit)
                .executeUpdate();
    }

    /**
     * Deletes up to {@code limit} start counts of jobs finished before {@code cutoff}, or never finished and last
     * started before it; returns how many.
     */
    @Transactional
    public int deleteAttempts(Instant cutoff, int limit) {
        return em.createNativeQuery("delete from attempts where (consumer, job_id) in (select consumer, job_id "
                        + "from attempts where coalesce(finished_at, last_at) < ?1 limit ?2)")
                .setParameter(1, cutoff)
                .setParameter(2, limit)
                .executeUpdate();
    }
}
