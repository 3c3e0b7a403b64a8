package io.campanile.gateway.service;

import io.campanile.gateway.config.DispatchConfig;
import io.campanile.gateway.config.GatewayConfig;
import io.campanile.gateway.messaging.ConsumerGroups;
import io.campanile.gateway.messaging.GroupState;
import io.campanile.platform.BrokerUnavailableException;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Map;

/**
 * The window of each lane (ADR 0016): a fixed size when {@code campanile.gateway.dispatch.windows.<lane>} sets one,
 * else the larger of {@code dispatch.window} and {@code dispatch.per-member} times the members of the lane's consumer
 * group. The members are read off the dispatcher's path, every few seconds ({@link ConsumerGroups} caches its
 * reading), so a dispatch never waits for Kafka's AdminClient; until a reading succeeds the minimum holds.
 */
@ApplicationScoped
public class DispatchWindows {
    private final DispatchConfig config;
    private final ConsumerGroups groups;
    private volatile Map<String, Integer> members = Map.of();

    @Inject
    DispatchWindows(GatewayConfig config, ConsumerGroups groups) {
        this.config = config.dispatch();
        this.groups = groups;
    }

    /** How many jobs of the lane may be in flight at once (1 or more). */
    public int of(String lane) {
        Integer fixed = config.windows().get(lane);
        if (fixed != null) {
            return Math.max(1, fixed);
        }
        int derived = config.perMember() * members.getOrDefault(lane, 0);
        return Math.max(1, Math.max(config.window(), derived));
    }

    @Scheduled(every = "5s", delayed = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void readMembers() {
        if (config.perMember() <= 0) {
            return;
        }
        try {
            Map<String, Integer> m = new HashMap<>();
            for (GroupState g : groups.read()) {
                m.put(g.kind().topic(), g.members().size());
            }
            members = Map.copyOf(m);
        } catch (BrokerUnavailableException e) {
            // keep the last reading: the broker being away changes no replica count
        }
    }
}
