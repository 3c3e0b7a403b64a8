package io.campanile.storage.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;

/**
 * Retention in storage ({@code campanile.storage.*}): the blob collector and the pruning of attempts. Durations take
 * ISO-8601 ({@code PT1H}) or Quarkus' short form ({@code 1h}, {@code 30d}).
 */
@ConfigMapping(prefix = "campanile.storage")
public interface RetentionConfig {
    /**
     * How long a blob nothing refers to is kept after its bytes were last stored ({@code gc-grace}). A writer stores
     * a blob first and refers to it next (an image, a ref, a job's hold): the grace must exceed that gap.
     */
    @WithName("gc-grace")
    @WithDefault("1h")
    Duration gcGrace();

    /** How often the collector runs ({@code gc-interval}). */
    @WithName("gc-interval")
    @WithDefault("5m")
    Duration gcInterval();

    /** Blobs deleted per transaction ({@code gc-batch}): a pass deletes batches until one comes back short. */
    @WithName("gc-batch")
    @WithDefault("200")
    int gcBatch();

    /**
     * How long a job's start counts are kept after it finished, or after its last start when it never finished
     * ({@code attempts-retention}). It must exceed the retention of the request topics (Kafka's default, 7 days):
     * a request replayed within it is still recognised as finished and skipped.
     */
    @WithName("attempts-retention")
    @WithDefault("30d")
    Duration attemptsRetention();
}
