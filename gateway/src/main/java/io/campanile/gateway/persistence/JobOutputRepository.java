package io.campanile.gateway.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.List;
import java.util.UUID;

/** Rows of {@code job_outputs}, in the caller's transaction. */
@ApplicationScoped
@TranslatesDatabaseFailures
public class JobOutputRepository {
    private final EntityManager em;

    @Inject
    JobOutputRepository(EntityManager em) {
        this.em = em;
    }

    /** The outputs of a job in order (ordinal, then role). */
    public List<JobOutputEntity> listByJob(UUID jobId) {
        return JobOutputEntity.list("jobId = ?1 order by ordinal, role", jobId);
    }

    /** Registers an output unless the job already has this image: a worker may report it more than once. */
    public void insertIfAbsent(UUID jobId, UUID imageId, String role, int ordinal) {
        em.createNativeQuery("insert into job_outputs (job_id, image_id, role, ordinal) values (?1, ?2, ?3, ?4) "
                        + "on conflict do nothing")
                .setParameter(1, jobId)
                .setParameter(2, imageId)
                .setParameter(3, role)
                .setParameter(4, ordinal)
                .executeUpdate();
    }
}
