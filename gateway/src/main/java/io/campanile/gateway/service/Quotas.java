package io.campanile.gateway.service;

import io.campanile.gateway.config.GatewayConfig;
import io.campanile.gateway.config.LimitsConfig;
import io.campanile.gateway.config.LimitsConfig.Limits;
import io.campanile.gateway.persistence.TenantUsageRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;

/**
 * A tenant's quotas ({@code campanile.gateway.limits.*}): jobs in flight, submissions per minute and stored bytes.
 * Counts come from PostgreSQL, so they hold across gateway replicas; {@link #checkCounts} runs in the transaction that
 * inserts the job, under the tenant's advisory lock, so that concurrent submissions never both take the last unit.
 * Admin keys are not exempt: an admin key is about what a caller may see, not how much it may run.
 */
@ApplicationScoped
public class Quotas {
    /** The span of the submission rate. */
    static final Duration MINUTE = Duration.ofMinutes(1);
    /** The span over which finished jobs estimate when a slot frees (Retry-After of jobs-in-flight). */
    static final Duration RECENT = Duration.ofMinutes(5);
    /** The longest Retry-After of the count limits; stored bytes free only when jobs are deleted or expire. */
    static final long MAX_RETRY_SECONDS = 60;

    static final long STORED_BYTES_RETRY_SECONDS = 3600;

    private final LimitsConfig limits;
    private final TenantUsageRepository usage;
    private final StorageUsage storage;

    @Inject
    Quotas(GatewayConfig config, TenantUsageRepository usage, StorageUsage storage) {
        this.limits = config.limits();
        this.usage = usage;
        this.storage = storage;
    }

    /**
     * Whether the tenant may store {@code incomingBytes} more: checked before the inputs are stored, against the
     * usage storage reported within a few seconds.
     *
     * @throws QuotaExceededException naming {@code stored-bytes}
     */
    public void checkStoredBytes(String tenant, long incomingBytes) {
        long limit = limits.of(tenant).storedBytes();
        OptionalLong stored = storage.of(tenant);
        if (stored.isPresent() && stored.getAsLong() + incomingBytes > limit) {
            throw new QuotaExceededException(
                    "stored-bytes",
                    "tenant " + tenant + " holds " + stored.getAsLong() + " bytes in storage; with this request's "
                            + incomingBytes + " that passes its limit of " + limit
                            + " (delete finished jobs, or wait for them to expire)",
                    STORED_BYTES_RETRY_SECONDS);
        }
    }

    /**
     * Whether the tenant may have one more job: its jobs in flight and its submissions within the last minute, in the
     * caller's transaction. {@code lock}: take the tenant's lock first (the inserting transaction does).
     *
     * @throws QuotaExceededException naming {@code jobs-in-flight} or {@code submissions-per-minute}
     */
    public void checkCounts(String tenant, boolean lock) {
        if (lock) {
            usage.lockTenant(tenant);
        }
        Limits l = limits.of(tenant);
        Instant now = Instant.now();
        long inFlight = usage.inFlight(tenant);
        if (inFlight >= l.jobsInFlight()) {
            long ended = usage.finishedSince(tenant, now.minus(RECENT));
            // one slot frees about every RECENT / ended; nothing ended lately: try again in a minute
            long retry = ended == 0 ? MAX_RETRY_SECONDS : ceilDiv(RECENT.toSeconds(), ended);
            throw new QuotaExceededException(
                    "jobs-in-flight",
                    "tenant " + tenant + " has " + inFlight + " jobs queued or running, its limit is "
                            + l.jobsInFlight(),
                    Math.min(MAX_RETRY_SECONDS, retry));
        }
        if (l.submissionsPerMinute() <= 0) {
            throw new QuotaExceededException(
                    "submissions-per-minute", "tenant " + tenant + " may not submit jobs", MAX_RETRY_SECONDS);
        }
        List<Instant> recent = usage.createdSince(tenant, now.minus(MINUTE), l.submissionsPerMinute());
        if (recent.size() >= l.submissionsPerMinute()) {
            // the next submission fits once the oldest of the last `limit` leaves the minute
            Instant oldest = recent.get(recent.size() - 1);
            long retry = ceilDiv(Duration.between(now, oldest.plus(MINUTE)).toMillis(), 1000);
            throw new QuotaExceededException(
                    "submissions-per-minute",
                    "tenant " + tenant + " submitted " + recent.size() + " jobs within the last minute, its limit is "
                            + l.submissionsPerMinute(),
                    Math.min(MAX_RETRY_SECONDS, retry));
        }
    }

    private static long ceilDiv(long a, long b) {
        return Math.max(1, -Math.floorDiv(-a, b));
    }
}
