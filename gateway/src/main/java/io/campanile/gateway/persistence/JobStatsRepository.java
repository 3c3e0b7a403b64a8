package io.campanile.gateway.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.List;

/**
 * Counts over {@code jobs} for the metrics and the Workers page: one grouped query each, run every few seconds (not
 * per scrape, not per row). Every method runs in its caller's transaction.
 */
@ApplicationScoped
@TranslatesDatabaseFailures
public class JobStatsRepository {
    /** Jobs of one type in one status. */
    public record StatusTypeCount(String status, String type, long count) {}

    /** Jobs in one status whose last start was by one worker instance. */
    public record WorkerStatusCount(String worker, String status, long count) {}

    private final EntityManager em;

    @Inject
    JobStatsRepository(EntityManager em) {
        this.em = em;
    }

    /** Every (status, type) that has jobs, with their number. */
    public List<StatusTypeCount> countByStatusAndType() {
        List<?> rows = em.createNativeQuery("select status, type, count(*) from jobs group by status, type")
                .getResultList();
        return rows.stream()
                .map(r -> (Object[]) r)
                .map(r -> new StatusTypeCount((String) r[0], (String) r[1], ((Number) r[2]).longValue()))
                .toList();
    }

    /**
     * Per worker instance ({@code jobs.worker}: the one that last started the job): its RUNNING jobs, and the jobs
     * that SUCCEEDED or FAILED since {@code since} while it held them.
     */
    public List<WorkerStatusCount> countByWorker(Instant since) {
        List<?> rows = em.createNativeQuery("select worker, status, count(*) from jobs where worker is not null"
                        + " and (status = 'RUNNING' or (status in ('SUCCEEDED', 'FAILED') and finished_at >= ?1))"
                        + " group by worker, status")
                .setParameter(1, since)
                .getResultList();
        return rows.stream()
                .map(r -> (Object[]) r)
                .map(r -> new WorkerStatusCount((String) r[0], (String) r[1], ((Number) r[2]).longValue()))
                .toList();
    }
}
