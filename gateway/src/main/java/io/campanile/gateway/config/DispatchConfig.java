package io.campanile.gateway.config;

import io.smallrye.config.WithDefault;
import java.util.Map;

/**
 * Fair-share dispatch ({@code campanile.gateway.dispatch.*}, ADR 0016): how many jobs of a lane may be in flight
 * (dispatched and not ended) at once. A lane is the request topic of the worker kind that does a job's main work
 * ({@code stage1-requests}, {@code stage2-requests}, {@code training-requests}).
 */
public interface DispatchConfig {
    /** The smallest window of every lane. */
    @WithDefault("8")
    int window();

    /**
     * Slots per member of the lane's consumer group: the window is the larger of {@link #window()} and this times
     * the members Kafka reports (read every few seconds), so that more replicas get more jobs in flight. 0: off.
     */
    @WithDefault("2")
    int perMember();

    /**
     * How often the dispatcher looks at the lanes without being woken (a safety net: submissions and job ends wake it
     * at once), e.g. {@code 1s}; read by its schedule.
     */
    @WithDefault("1s")
    String interval();

    /** A fixed window by lane, replacing the computed one (e.g. {@code windows."stage1-requests"=4}). */
    Map<String, Integer> windows();
}
