package io.campanile.textencoder.config;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Each misconfiguration fails the start with the key's name. */
class TextEncoderConfigTest {

    record Values(String pack, int maxBatch, int maxWaitMs, int cacheEntries) implements TextEncoderConfig {}

    private static void rejected(Values v, String key) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, v::validate);
        assertTrue(e.getMessage().startsWith(key + " "), e.getMessage());
    }

    @Test
    void defaultsAreValid() {
        new Values("t5-v1_1-xxl", 8, 20, 4096).validate();
        new Values("t5-v1_1-xxl", 1, 0, 0).validate();
    }

    @Test
    void blankPack() {
        rejected(new Values(" ", 8, 20, 10), "campanile.text-encoder.pack");
    }

    @Test
    void batchBelowOne() {
        rejected(new Values("p", 0, 20, 10), "campanile.text-encoder.max-batch");
    }

    @Test
    void negativeWait() {
        rejected(new Values("p", 8, -1, 10), "campanile.text-encoder.max-wait-ms");
    }

    @Test
    void negativeCache() {
        rejected(new Values("p", 8, 20, -1), "campanile.text-encoder.cache-entries");
    }
}
