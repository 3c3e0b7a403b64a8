package io.campanile.platform;

import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The consumer loops running in this process, for the health checks ({@link ConsumerHealthChecks}). */
public final class ConsumerLoops {
    private static final Set<ConsumerLoop> LOOPS = ConcurrentHashMap.newKeySet();

    private ConsumerLoops() {}

    static void register(ConsumerLoop loop) {
        LOOPS.add(loop);
    }

    static void unregister(ConsumerLoop loop) {
        LOOPS.remove(loop);
    }

    /** The health of every running loop, by name. */
    public static List<ConsumerLoop.Health> health() {
        return LOOPS.stream()
                .map(ConsumerLoop::health)
                .sorted(Comparator.comparing(ConsumerLoop.Health::name))
                .toList();
    }
}
