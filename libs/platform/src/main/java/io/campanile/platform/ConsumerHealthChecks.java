package io.campanile.platform;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.function.Predicate;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * The consumer loops of a service in its health: liveness is DOWN when a loop's polling thread died or has not polled
 * within its bound, so compose, Kubernetes and the local stack restart the process; readiness is DOWN while a loop
 * does not hold its group membership.
 */
public final class ConsumerHealthChecks {
    private ConsumerHealthChecks() {}

    static HealthCheckResponse response(String name, Predicate<ConsumerLoop.Health> ok) {
        List<ConsumerLoop.Health> loops = ConsumerLoops.health();
        HealthCheckResponseBuilder b =
                HealthCheckResponse.named(name).status(loops.stream().allMatch(ok));
        for (ConsumerLoop.Health h : loops) {
            b.withData(
                    h.name(),
                    (ok.test(h) ? "UP" : "DOWN") + ", " + h.partitions() + " partition(s), " + h.restarts()
                            + " restart(s)");
        }
        return b.build();
    }

    /** Every loop polls. */
    @Liveness
    @ApplicationScoped
    public static class Live implements HealthCheck {
        @Override
        public HealthCheckResponse call() {
            return response("consumer loops polling", ConsumerLoop.Health::live);
        }
    }

    /** Every loop is a member of its consumer group. */
    @Readiness
    @ApplicationScoped
    public static class Ready implements HealthCheck {
        @Override
        public HealthCheckResponse call() {
            return response("consumer loops subscribed", ConsumerLoop.Health::ready);
        }
    }
}
