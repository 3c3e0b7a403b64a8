package io.campanile.gateway.config;

import java.time.Duration;

/**
 * The retention sweep's settings, checked when built: each must be at least a second, and a bad one names its key.
 *
 * @param finishedJobs {@code campanile.gateway.retention.finished-jobs}
 * @param processedEvents {@code campanile.gateway.retention.processed-events}
 * @param interval {@code campanile.gateway.retention.interval}
 */
public record RetentionSettings(Duration finishedJobs, Duration processedEvents, Duration interval) {
    public static final String FINISHED_JOBS = "campanile.gateway.retention.finished-jobs";
    public static final String PROCESSED_EVENTS = "campanile.gateway.retention.processed-events";
    public static final String INTERVAL = "campanile.gateway.retention.interval";

    public RetentionSettings {
        atLeastASecond(FINISHED_JOBS, finishedJobs);
        atLeastASecond(PROCESSED_EVENTS, processedEvents);
        atLeastASecond(INTERVAL, interval);
    }

    private static void atLeastASecond(String key, Duration value) {
        if (value.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException(key + " must be at least 1 second, got " + value);
        }
    }
}
