package io.campanile.onnx;

import java.util.List;

/**
 * How ONNX Runtime runs a pack's graph; built from {@link OnnxConfig} ({@code campanile.onnx.*}).
 *
 * @param executionProvider {@code cpu} or {@code cuda}
 * @param deviceId the CUDA device index (ignored on cpu), {@code >= 0}
 * @param intraOpThreads threads of ONNX Runtime's intra-op pool; 0 = one per processor available to the JVM
 * @param optimizationLevel graph optimisations: {@code all}, {@code extended}, {@code basic} or {@code none}
 * @throws IllegalArgumentException naming the configuration key of a bad value
 */
public record OnnxOptions(String executionProvider, int deviceId, int intraOpThreads, String optimizationLevel) {
    public static final String CPU = "cpu";
    public static final String CUDA = "cuda";
    /** The allowed execution providers. */
    public static final List<String> PROVIDERS = List.of(CPU, CUDA);
    /** The allowed optimisation levels, most to least. */
    public static final List<String> OPTIMIZATION_LEVELS = List.of("all", "extended", "basic", "none");

    public OnnxOptions {
        if (executionProvider == null || !PROVIDERS.contains(executionProvider)) {
            throw new IllegalArgumentException(OnnxConfig.EXECUTION_PROVIDER + " must be one of " + PROVIDERS + ", got "
                    + quoted(executionProvider));
        }
        if (deviceId < 0) {
            throw new IllegalArgumentException(OnnxConfig.DEVICE_ID + " must be 0 or more, got " + deviceId);
        }
        if (intraOpThreads < 0) {
            throw new IllegalArgumentException(
                    OnnxConfig.INTRA_OP_THREADS + " must be 0 (ONNX Runtime's default) or more, got " + intraOpThreads);
        }
        if (optimizationLevel == null || !OPTIMIZATION_LEVELS.contains(optimizationLevel)) {
            throw new IllegalArgumentException(OnnxConfig.OPTIMIZATION_LEVEL + " must be one of " + OPTIMIZATION_LEVELS
                    + ", got " + quoted(optimizationLevel));
        }
    }

    /** CPU, device 0, one intra-op thread per available processor, all optimisations: the {@link OnnxConfig} defaults. */
    public static OnnxOptions defaults() {
        return new OnnxOptions(CPU, 0, 0, "all");
    }

    /** Whether the CUDA execution provider is asked for. */
    public boolean cuda() {
        return CUDA.equals(executionProvider);
    }

    private static String quoted(String value) {
        return value == null ? "nothing" : "'" + value + "'";
    }
}
