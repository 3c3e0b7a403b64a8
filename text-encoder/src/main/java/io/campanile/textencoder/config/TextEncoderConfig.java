package io.campanile.textencoder.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the text encoder ({@code campanile.text-encoder.*}); checked at start by {@link #validate()}. */
@ConfigMapping(prefix = "campanile.text-encoder")
public interface TextEncoderConfig {
    /**
     * The text-encoder pack (in {@code campanile.packs.dir}) that encodes a job's prompts when the job's UNet pack
     * names none in its {@code text_encoder} field.
     */
    @WithDefault("t5-v1_1-xxl")
    String pack();

    /** Most prompts in one encoder run, and most jobs taken from the topic at once. */
    @WithDefault("8")
    int maxBatch();

    /**
     * Longest wait for more jobs to fill a batch once one job arrived, in milliseconds (0: never wait). It applies
     * while jobs keep coming: a job after a quiet spell (none in the last 5 waits) is encoded at once.
     */
    @WithDefault("20")
    int maxWaitMs();

    /** Embedding addresses kept in memory in front of the storage cache (least recently used are dropped). */
    @WithDefault("4096")
    int cacheEntries();

    /** Fails the start naming the key of a value out of range. */
    default void validate() {
        if (pack().isBlank()) {
            throw new IllegalArgumentException("campanile.text-encoder.pack must name a text-encoder pack");
        }
        if (maxBatch() < 1) {
            throw new IllegalArgumentException(
                    "campanile.text-encoder.max-batch must be at least 1, was " + maxBatch());
        }
        if (maxWaitMs() < 0) {
            throw new IllegalArgumentException(
                    "campanile.text-encoder.max-wait-ms must not be negative, was " + maxWaitMs());
        }
        if (cacheEntries() < 0) {
            throw new IllegalArgumentException(
                    "campanile.text-encoder.cache-entries must not be negative, was " + cacheEntries());
        }
    }
}
