package io.campanile.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Validation of the ONNX Runtime settings: every bad value names its key. */
class OnnxOptionsTest {
    @Test
    void defaultsAreCpuWithAllOptimisations() {
        assertEquals(new OnnxOptions("cpu", 0, 0, "all"), OnnxOptions.defaults());
    }

    @Test
    void unknownProviderNamesTheKey() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new OnnxOptions("tpu", 0, 0, "all"));
        assertEquals("campanile.onnx.execution-provider must be one of [cpu, cuda], got 'tpu'", e.getMessage());
    }

    @Test
    void missingProviderNamesTheKey() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new OnnxOptions(null, 0, 0, "all"));
        assertTrue(e.getMessage().startsWith("campanile.onnx.execution-provider "), e.getMessage());
    }

    @Test
    void negativeDeviceNamesTheKey() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new OnnxOptions("cuda", -1, 0, "all"));
        assertEquals("campanile.onnx.device-id must be 0 or more, got -1", e.getMessage());
    }

    @Test
    void negativeThreadsNameTheKey() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new OnnxOptions("cpu", 0, -2, "all"));
        assertTrue(e.getMessage().startsWith("campanile.onnx.intra-op-threads "), e.getMessage());
    }

    @Test
    void unknownOptimisationLevelNamesTheKey() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new OnnxOptions("cpu", 0, 0, "max"));
        assertEquals(
                "campanile.onnx.optimization-level must be one of [all, extended, basic, none], got 'max'",
                e.getMessage());
    }

    @Test
    void configMappingDefaults() {
        assertEquals(OnnxOptions.defaults(), config(Map.of()).options());
    }

    @Test
    void configMappingReadsEveryKey() {
        OnnxConfig c = config(Map.of(
                "campanile.onnx.execution-provider",
                "cuda",
                "campanile.onnx.device-id",
                "1",
                "campanile.onnx.intra-op-threads",
                "2",
                "campanile.onnx.optimization-level",
                "basic"));
        assertEquals(new OnnxOptions("cuda", 1, 2, "basic"), c.options());
    }

    @Test
    void configMappingRejectsABadValueByKey() {
        OnnxConfig c = config(Map.of("campanile.onnx.optimization-level", "fast"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, c::options);
        assertTrue(e.getMessage().startsWith("campanile.onnx.optimization-level "), e.getMessage());
    }

    private static OnnxConfig config(Map<String, String> values) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(OnnxConfig.class)
                .withSources(new PropertiesConfigSource(values, "test", 100))
                .build();
        return config.getConfigMapping(OnnxConfig.class);
    }
}
