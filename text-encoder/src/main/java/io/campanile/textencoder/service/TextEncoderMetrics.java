package io.campanile.textencoder.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * The text encoder's meters, in Prometheus form at {@code /q/metrics}: {@code campanile_text_cache_hits_total},
 * {@code campanile_text_cache_misses_total} (one per distinct prompt looked up), {@code campanile_text_encode_seconds}
 * (one encoder run) and {@code campanile_text_batch_size} (prompts per encoder run).
 */
public final class TextEncoderMetrics {
    private final Counter hits;
    private final Counter misses;
    private final Timer encode;
    private final DistributionSummary batchSize;

    public TextEncoderMetrics(MeterRegistry registry) {
        this.hits = Counter.builder("campanile.text.cache.hits")
                .description("Prompts whose embedding was found in the cache (no encoder run)")
                .register(registry);
        this.misses = Counter.builder("campanile.text.cache.misses")
                .description("Prompts that had to be encoded")
                .register(registry);
        this.encode = Timer.builder("campanile.text.encode")
                .description("One batched encoder run")
                .serviceLevelObjectives(ms(1), ms(5), ms(20), ms(100), ms(500), ms(2000), ms(10_000))
                .register(registry);
        this.batchSize = DistributionSummary.builder("campanile.text.batch.size")
                .description("Prompts per encoder run")
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32)
                .register(registry);
    }

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }

    public void hit() {
        hits.increment();
    }

    public void miss() {
        misses.increment();
    }

    public void encoded(int prompts, long nanos) {
        batchSize.record(prompts);
        encode.record(Duration.ofNanos(nanos));
    }

    public double hits() {
        return hits.count();
    }

    public double misses() {
        return misses.count();
    }
}
