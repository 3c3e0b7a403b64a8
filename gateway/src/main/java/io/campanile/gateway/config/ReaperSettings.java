package io.campanile.gateway.config;

import java.time.Duration;

/**
 * The lease reaper's settings, checked when built: each must be 1 or more, and a bad one names its key.
 *
 * @param intervalSeconds {@code campanile.gateway.reaper-interval-seconds}
 * @param leaseGraceSeconds {@code campanile.gateway.lease-grace-seconds}
 * @param queueTimeoutMinutes {@code campanile.gateway.queue-timeout-minutes}
 */
public record ReaperSettings(int intervalSeconds, int leaseGraceSeconds, int queueTimeoutMinutes) {
    public static final String INTERVAL = "campanile.gateway.reaper-interval-seconds";
    public static final String LEASE_GRACE = "campanile.gateway.lease-grace-seconds";
    public static final String QUEUE_TIMEOUT = "campanile.gateway.queue-timeout-minutes";

    public ReaperSettings {
        atLeastOne(INTERVAL, intervalSeconds);
        atLeastOne(LEASE_GRACE, leaseGraceSeconds);
        atLeastOne(QUEUE_TIMEOUT, queueTimeoutMinutes);
    }

    public Duration leaseGrace() {
        return Duration.ofSeconds(leaseGraceSeconds);
    }

    public Duration queueTimeout() {
        return Duration.ofMinutes(queueTimeoutMinutes);
    }

    private static void atLeastOne(String key, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(key + " must be 1 or more, got " + value);
        }
    }
}
