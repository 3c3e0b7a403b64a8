package io.campanile.gateway.api.live;

import io.campanile.gateway.api.ApiProblem;
import io.campanile.gateway.config.GatewayConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The open event streams of this replica, bounded by {@code campanile.gateway.sse.max-streams}: each holds a
 * connection and a subscription, so a flood of them must not take the gateway down. One tenant may hold at most
 * {@code campanile.gateway.limits.sse-streams-per-tenant} of them, so that it cannot take every slot from the others.
 * {@link #open()} is the gauge {@code campanile_sse_open_streams}.
 */
@ApplicationScoped
public class SseStreams {
    private final AtomicInteger open = new AtomicInteger();
    private final int limit;
    private final int perTenant;
    /** Open streams by tenant; a tenant's entry goes when its last stream closes. */
    private final Map<String, Integer> byTenant = new ConcurrentHashMap<>();

    @Inject
    SseStreams(GatewayConfig config, MeterRegistry registry) {
        this.limit = config.sse().maxStreams();
        if (limit < 1) {
            throw new IllegalArgumentException("campanile.gateway.sse.max-streams must be at least 1, was " + limit);
        }
        this.perTenant = config.limits().sseStreamsPerTenant();
        if (perTenant < 1) {
            throw new IllegalArgumentException(
                    "campanile.gateway.limits.sse-streams-per-tenant must be at least 1, was " + perTenant);
        }
        Gauge.builder("campanile.sse.open.streams", open, AtomicInteger::get)
                .description("event streams open on this gateway replica")
                .register(registry);
    }

    /** Streams open now. */
    public int open() {
        return open.get();
    }

    /** The most streams this replica keeps open. */
    public int limit() {
        return limit;
    }

    /** The most streams one tenant keeps open on this replica. */
    public int perTenant() {
        return perTenant;
    }

    /**
     * Takes a slot for a new stream of {@code tenant}, released by {@link #release}.
     *
     * @throws ApiProblem 429 naming the limit when the tenant holds its share, 503 naming the limit when every slot
     *     is taken
     */
    void acquire(String tenant) {
        int[] mine = new int[1];
        byTenant.compute(tenant, (t, n) -> {
            mine[0] = n == null ? 1 : n + 1;
            return mine[0] > perTenant ? n : Integer.valueOf(mine[0]);
        });
        if (mine[0] > perTenant) {
            throw ApiProblem.tooManyRequests(
                    "sse-streams-per-tenant",
                    5,
                    "tenant '" + tenant + "' already holds " + perTenant + " event streams on this gateway, its limit"
                            + " (campanile.gateway.limits.sse-streams-per-tenant); close one or retry later");
        }
        if (open.incrementAndGet() > limit) {
            releaseTenant(tenant);
            open.decrementAndGet();
            throw new ApiProblem(
                    503,
                    "Too many event streams",
                    null,
                    "this gateway already serves " + limit + " event streams, its limit"
                            + " (campanile.gateway.sse.max-streams); retry later");
        }
    }

    void release(String tenant) {
        open.decrementAndGet();
        releaseTenant(tenant);
    }

    private void releaseTenant(String tenant) {
        byTenant.computeIfPresent(tenant, (t, n) -> n <= 1 ? null : n - 1);
    }
}
