package io.campanile.platform;

import java.time.Duration;
import java.util.Optional;

/**
 * How a worker bounds a job (ADR 0010).
 *
 * @param lease how long a start or a heartbeat holds the job; heartbeats come every third of it
 * @param maxStarts starts without a finish after which the job is FAILED instead of started again
 * @param outage how long storage or the broker may be away before the job FAILS with the reason
 * @param jobTimeout the longest one job may run
 * @param haltModel tests only: a job on this pack halts the JVM when it starts
 */
public record JobPolicy(
        Duration lease, int maxStarts, Duration outage, Duration jobTimeout, Optional<String> haltModel) {

    /** The defaults of {@link WorkerConfig}, for tests. */
    public static JobPolicy defaults() {
        return new JobPolicy(
                Duration.ofSeconds(30), 3, Duration.ofSeconds(600), Duration.ofMinutes(360), Optional.empty());
    }
}
