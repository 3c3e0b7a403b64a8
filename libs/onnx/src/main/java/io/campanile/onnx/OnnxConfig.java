package io.campanile.onnx;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * ONNX Runtime settings of a service that runs model packs ({@code campanile.onnx.*}). A bad value fails when the
 * service builds its {@link #options()}, with the key's name in the message.
 */
@ConfigMapping(prefix = "campanile.onnx")
public interface OnnxConfig {
    String EXECUTION_PROVIDER = "campanile.onnx.execution-provider";
    String DEVICE_ID = "campanile.onnx.device-id";
    String INTRA_OP_THREADS = "campanile.onnx.intra-op-threads";
    String OPTIMIZATION_LEVEL = "campanile.onnx.optimization-level";

    /**
     * {@code cpu}, or {@code cuda} for the CUDA execution provider (needs the onnxruntime_gpu build, {@code -Pgpu},
     * with CUDA 12 and cuDNN 9 on the host; loading fails if it is not there, there is no silent fallback to cpu).
     */
    @WithDefault("cpu")
    String executionProvider();

    /** CUDA device index, as the container sees its GPUs; ignored on cpu. */
    @WithDefault("0")
    int deviceId();

    /**
     * Size of ONNX Runtime's intra-op thread pool; 0 = one thread per processor available to the JVM (not ONNX
     * Runtime's own default, which counts physical cores: one on a 2-vCPU machine of SMT siblings).
     */
    @WithDefault("0")
    int intraOpThreads();

    /** ONNX Runtime graph optimisation level: {@code all}, {@code extended}, {@code basic} or {@code none}. */
    @WithDefault("all")
    String optimizationLevel();

    /**
     * The validated options.
     *
     * @throws IllegalArgumentException naming the key of a bad value
     */
    default OnnxOptions options() {
        return new OnnxOptions(executionProvider(), deviceId(), intraOpThreads(), optimizationLevel());
    }
}
