package io.campanile.storage.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.UUID;

/**
 * Rows of {@code job_owners} and {@code holds}: which tenant a job belongs to, and the input blobs it keeps alive. A
 * job's data (its holds, images and {@code job-files} refs) is deleted here, in one transaction.
 */
@ApplicationScoped
public class JobOwnerRepository {
    /**
     * The refs of a job's files (platform's {@code JobFiles}: namespace {@code job-files}, keys {@code "<id>.<name>"}):
     * keys from "&lt;id&gt;." up to "&lt;id&gt;/" in byte order, '/' following '.', as V6's index orders them.
     */
    private static final String JOB_FILE_KEYS =
            "namespace = 'job-files' and (key collate \"C\") >= (?1 || '.') " + "and (key collate \"C\") < (?1 || '/')";

    private final EntityManager em;

    @Inject
    JobOwnerRepository(EntityManager em) {
        this.em = em;
    }

    /**
     * Registers the job's tenant, unless the job has one, and holds each input; returns the job's tenant (the earlier
     * one when it was registered before). A hold of a blob storage does not have fails the foreign key.
     */
    @Transactional
    public String register(UUID jobId, String tenant, List<String> inputs) {
        em.createNativeQuery("insert into job_owners (job_id, tenant) values (?1, ?2) on conflict do nothing")
                .setParameter(1, jobId)
                .setParameter(2, tenant)
                .executeUpdate();
        for (String sha256 : inputs) {
            em.createNativeQuery("insert into holds (job_id, sha256) values (?1, ?2) on conflict do nothing")
                    .setParameter(1, jobId)
                    .setParameter(2, sha256)
                    .executeUpdate();
        }
        return (String) em.createNativeQuery("select tenant from job_owners where job_id = ?1")
                .setParameter(1, jobId)
                .getSingleResult();
    }

    /**
     * Deletes the job's images, its files' refs, its holds and its owner row. The blobs themselves go with the
     * collector's next pass, once nothing else refers to them. Deleting an unknown job changes nothing.
     */
    @Transactional
    public void delete(UUID jobId) {
        em.createNativeQuery("delete from images where job_id = ?1")
                .setParameter(1, jobId)
                .executeUpdate();
        em.createNativeQuery("delete from refs where " + JOB_FILE_KEYS)
                .setParameter(1, jobId.toString())
                .executeUpdate();
        em.createNativeQuery("delete from holds where job_id = ?1")
                .setParameter(1, jobId)
                .executeUpdate();
        em.createNativeQuery("delete from job_owners where job_id = ?1")
                .setParameter(1, jobId)
                .executeUpdate();
    }

    /**
     * Bytes of the distinct blobs the tenant's jobs hold: their inputs, output PNGs and tensors, and files. A blob
     * two of its jobs share counts once.
     */
    @Transactional
    public long usage(String tenant) {
        Number bytes = (Number) em.createNativeQuery("select coalesce(sum(b.size), 0) from blobs b where b.sha256 in ("
                        + "select h.sha256 from holds h join job_owners o on o.job_id = h.job_id where o.tenant = ?1 "
                        + "union select i.png_sha256 from images i join job_owners o on o.job_id = i.job_id "
                        + "where o.tenant = ?1 "
                        + "union select i.tensor_sha256 from images i join job_owners o on o.job_id = i.job_id "
                        + "where o.tenant = ?1 and i.tensor_sha256 is not null "
                        + "union select r.sha256 from job_owners o join refs r on r.namespace = 'job-files' "
                        + "and (r.key collate \"C\") >= (cast(o.job_id as text) || '.') "
                        + "and (r.key collate \"C\") < (cast(o.job_id as text) || '/') where o.tenant = ?1)")
                .setParameter(1, tenant)
                .getSingleResult();
        return bytes.longValue();
    }
}
