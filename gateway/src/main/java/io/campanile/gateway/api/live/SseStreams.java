package io.campanile.gateway.api.live;

import io.campanile.gateway.api.ApiProblem;
import io.campanile.gateway.config.GatewayConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The open event streams of this replica, bounded by {@code campanile.gateway.sse.max-streams}: each holds a
 * connection and a subscription, so a flood of them must not take the gateway down. {@link #open()} is the gauge
 * {@code campanile_sse_open_streams}.
 */
@ApplicationScoped
public class SseStreams {
    private final AtomicInteger open = new AtomicInteger();
    private final int limit;

    @Inject
    SseStreams(GatewayConfig config, MeterRegistry registry) {
        this.limit = config.sse().maxStreams();
        if (limit < 1) {
            throw new IllegalArgumentException("campanile.gateway.sse.max-streams must be at least 1, was " + limit);
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

    /**
     * Takes a slot for a new stream, released by {@link #release}.
     *
     * @throws ApiProblem 503 naming the limit when every slot is taken
     */
    void acquire() {
        if (open.incrementAndGet() > limit) {
            open.decrementAndGet();
            throw new ApiProblem(
                    503,
                    "Too many event streams",
                    null,
                    "this gateway already serves " + limit + " event streams, its limit"
                            + " (campanile.gateway.sse.max-streams); retry later");
        }
    }

    void release() {
        open.decrementAndGet();
    }
}
