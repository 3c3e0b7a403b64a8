package io.campanile.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.campanile.gateway.config.GatewayConfig;
import io.campanile.gateway.config.ReaperSettings;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The lease reaper's settings: defaults, and every value out of range named by its key. */
class ReaperSettingsTest {
    @Test
    void defaultsAreFiveSecondsTwoMinutesOfGraceAndADayInAQueue() {
        ReaperSettings s = config(Map.of()).reaper();
        assertEquals(new ReaperSettings(5, 120, 1440), s);
        assertEquals(Duration.ofMinutes(2), s.leaseGrace());
        assertEquals(Duration.ofDays(1), s.queueTimeout());
    }

    @Test
    void everyKeyIsRead() {
        assertEquals(
                new ReaperSettings(1, 30, 60),
                config(Map.of(
                                "campanile.gateway.reaper-interval-seconds",
                                "1",
                                "campanile.gateway.lease-grace-seconds",
                                "30",
                                "campanile.gateway.queue-timeout-minutes",
                                "60"))
                        .reaper());
    }

    @Test
    void aZeroIntervalNamesItsKey() {
        assertRejected("campanile.gateway.reaper-interval-seconds", "0");
    }

    @Test
    void aNegativeGraceNamesItsKey() {
        assertRejected("campanile.gateway.lease-grace-seconds", "-5");
    }

    @Test
    void aZeroQueueTimeoutNamesItsKey() {
        assertRejected("campanile.gateway.queue-timeout-minutes", "0");
    }

    private static void assertRejected(String key, String value) {
        GatewayConfig c = config(Map.of(key, value));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, c::reaper);
        assertEquals(key + " must be 1 or more, got " + value, e.getMessage());
    }

    private static GatewayConfig config(Map<String, String> values) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(GatewayConfig.class)
                .withSources(new PropertiesConfigSource(values, "test", 100))
                .build();
        return config.getConfigMapping(GatewayConfig.class);
    }
}
