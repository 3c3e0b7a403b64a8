package io.campanile.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.campanile.gateway.config.GatewayConfig;
import io.campanile.gateway.config.RetentionSettings;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The retention sweep's settings: defaults, and every value out of range named by its key. */
class RetentionSettingsTest {
    @Test
    void defaultsAreThirtyDaysForJobsAWeekForEventIdsAndAMinuteBetweenPasses() {
        assertEquals(
                new RetentionSettings(Duration.ofDays(30), Duration.ofDays(7), Duration.ofMinutes(1)),
                config(Map.of()).retentionSettings());
    }

    @Test
    void everyKeyIsRead() {
        assertEquals(
                new RetentionSettings(Duration.ofDays(2), Duration.ofHours(12), Duration.ofSeconds(30)),
                config(Map.of(
                                RetentionSettings.FINISHED_JOBS, "P2D",
                                RetentionSettings.PROCESSED_EVENTS, "PT12H",
                                RetentionSettings.INTERVAL, "PT30S"))
                        .retentionSettings());
    }

    @Test
    void aZeroRetentionNamesItsKey() {
        assertRejected(RetentionSettings.FINISHED_JOBS, "PT0S");
    }

    @Test
    void aNegativeEventRetentionNamesItsKey() {
        assertRejected(RetentionSettings.PROCESSED_EVENTS, "-PT1H");
    }

    @Test
    void aSubSecondIntervalNamesItsKey() {
        assertRejected(RetentionSettings.INTERVAL, "PT0.5S");
    }

    private static void assertRejected(String key, String value) {
        GatewayConfig c = config(Map.of(key, value));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, c::retentionSettings);
        assertEquals(key + " must be at least 1 second, got " + Duration.parse(value), e.getMessage());
    }

    private static GatewayConfig config(Map<String, String> values) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(GatewayConfig.class)
                .withSources(new PropertiesConfigSource(values, "test", 100))
                .build();
        return config.getConfigMapping(GatewayConfig.class);
    }
}
