package io.campanile.gateway.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.List;

/** What a tenant has in {@code jobs}, for its quotas. Every method runs in its caller's transaction. */
@ApplicationScoped
@TranslatesDatabaseFailures
public class TenantUsageRepository {
    /** Key space of the tenants' advisory locks (the second key is the tenant's hash). */
    private static final int TENANT_LOCKS = 16_002;

    private final EntityManager em;

    @Inject
    TenantUsageRepository(EntityManager em) {
        this.em = em;
    }

    /**
     * Takes the tenant's lock until the transaction ends: submissions of one tenant count and insert one at a time,
     * across gateway replicas, so that two of them never both take the last unit of a limit.
     */
    public void lockTenant(String tenant) {
        em.createNativeQuery("select 1 from (select pg_advisory_xact_lock(?1, hashtext(?2))) l")
                .setParameter(1, TENANT_LOCKS)
                .setParameter(2, tenant)
                .getSingleResult();
    }

    /** The tenant's jobs QUEUED or RUNNING. */
    public long inFlight(String tenant) {
        return ((Number) em.createNativeQuery(
                                "select count(*) from jobs where tenant = ?1 and status in ('QUEUED', 'RUNNING')")
                        .setParameter(1, tenant)
                        .getSingleResult())
                .longValue();
    }

    /** The tenant's jobs that ended since {@code since}. */
    public long finishedSince(String tenant, Instant since) {
        return ((Number) em.createNativeQuery("select count(*) from jobs where tenant = ?1 and finished_at >= ?2")
                        .setParameter(1, tenant)
                        .setParameter(2, since)
                        .getSingleResult())
                .longValue();
    }

    /** When the tenant's jobs created after {@code since} were created, newest first, at most {@code limit}. */
    public List<Instant> createdSince(String tenant, Instant since, int limit) {
        List<?> rows = em.createNativeQuery("select created_at from jobs where tenant = ?1 and created_at > ?2"
                        + " order by created_at desc limit ?3")
                .setParameter(1, tenant)
                .setParameter(2, since)
                .setParameter(3, limit)
                .getResultList();
        return rows.stream().map(SqlTimes::instant).toList();
    }
}
