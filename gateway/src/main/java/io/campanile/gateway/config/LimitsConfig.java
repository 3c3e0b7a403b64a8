package io.campanile.gateway.config;

import io.smallrye.config.WithDefault;
import java.util.Map;
import java.util.Optional;

/**
 * Per-tenant quotas ({@code campanile.gateway.limits.*}): the defaults every tenant gets, and overrides per tenant
 * ({@code campanile.gateway.limits.tenants.<tenant>.*}). Over a limit a submission is answered 429 naming it.
 */
public interface LimitsConfig {
    /** A tenant's jobs QUEUED or RUNNING at once (waiting for dispatch included). */
    @WithDefault("100")
    int jobsInFlight();

    /** Jobs a tenant may submit within any 60 seconds, counted in PostgreSQL (so across gateway replicas). */
    @WithDefault("120")
    int submissionsPerMinute();

    /** Bytes of blobs a tenant's jobs may hold in storage (inputs, outputs, job files), as storage counts them. */
    @WithDefault("10737418240")
    long storedBytes();

    /**
     * The most event streams one tenant may hold open on this replica (of the replica's
     * {@code campanile.gateway.sse.max-streams}); one more is answered 429 naming {@code sse-streams-per-tenant}.
     */
    @WithDefault("32")
    int sseStreamsPerTenant();

    /** Overrides by tenant name; a limit an override leaves out keeps its default. */
    Map<String, TenantLimits> tenants();

    /** One tenant's overrides. */
    interface TenantLimits {
        Optional<Integer> jobsInFlight();

        Optional<Integer> submissionsPerMinute();

        Optional<Long> storedBytes();
    }

    /** The limits of one tenant: its overrides, else the defaults. */
    default Limits of(String tenant) {
        TenantLimits t = tenants().get(tenant);
        if (t == null) {
            return new Limits(jobsInFlight(), submissionsPerMinute(), storedBytes());
        }
        return new Limits(
                t.jobsInFlight().orElse(jobsInFlight()),
                t.submissionsPerMinute().orElse(submissionsPerMinute()),
                t.storedBytes().orElse(storedBytes()));
    }

    /** The resolved limits of a tenant. */
    record Limits(int jobsInFlight, int submissionsPerMinute, long storedBytes) {}
}
