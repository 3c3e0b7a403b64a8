package io.campanile.onnx;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

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
    String BATCH_ROWS = "campanile.onnx.batch-rows";
    String BATCH_MEGABYTES = "campanile.onnx.batch-megabytes";
    String BATCH_WAIT_MS = "campanile.onnx.batch-wait-ms";

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
     * The most rows in one UNet call that merges the steps of concurrent jobs on a pack (a worker runs several jobs at
     * once with {@code campanile.worker.concurrent-jobs}); 1 runs every call alone. On a GPU this is the knob that
     * buys throughput: raise it until the GPU's memory or latency target says stop.
     */
    @WithDefault("32")
    int batchRows();

    /** The most megabytes of input and output tensors in one merged UNet call. */
    @WithDefault("1024")
    long batchMegabytes();

    /**
     * How long a step waits, in milliseconds, for the steps of the jobs that ran with it last time, before it runs
     * with those that came.
     */
    @WithDefault("10")
    long batchWaitMs();

    /**
     * How steps of concurrent jobs are merged.
     *
     * @throws IllegalArgumentException naming the key of a bad value
     */
    default StepBatching batching() {
        return new StepBatching(batchRows(), batchMegabytes(), Duration.ofMillis(batchWaitMs()));
    }

    /**
     * The validated options.
     *
     * @throws IllegalArgumentException naming the key of a bad value
     */
    default OnnxOptions options() {
        return new OnnxOptions(executionProvider(), deviceId(), intraOpThreads(), optimizationLevel());
    }
}
