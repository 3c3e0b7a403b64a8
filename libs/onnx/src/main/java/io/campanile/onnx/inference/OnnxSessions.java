package io.campanile.onnx.inference;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import io.campanile.onnx.OnnxConfig;
import io.campanile.onnx.OnnxOptions;
import io.campanile.packs.PackException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import org.jboss.logging.Logger;

/** Opens ONNX Runtime sessions on graph files with the configured execution provider. */
public final class OnnxSessions {
    private static final Logger LOG = Logger.getLogger(OnnxSessions.class);

    private OnnxSessions() {}

    /** The shared ONNX Runtime environment, whose release at JVM exit is left to the OS ({@link OrtShutdownHook}). */
    public static OrtEnvironment environment() {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtShutdownHook.detach();
        return env;
    }

    /**
     * Opens {@code onnxFile} from its path, so ONNX Runtime finds external data files beside it.
     *
     * @throws IllegalStateException when {@code cuda} is asked for and this ONNX Runtime build has no CUDA provider
     * @throws PackException when the file is missing or ONNX Runtime cannot load it
     */
    public static OrtSession open(Path onnxFile, OnnxOptions o) {
        if (!Files.isRegularFile(onnxFile)) {
            throw new PackException(onnxFile + " does not exist: the pack is not installed");
        }
        long started = System.nanoTime();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(level(o.optimizationLevel()));
            // 0: one thread per processor the JVM may use. ONNX Runtime's own default counts physical cores, which is
            // one on a 2-vCPU machine whose vCPUs are SMT siblings: a UNet batch ran at half the speed of two threads.
            int threads = o.intraOpThreads() > 0
                    ? o.intraOpThreads()
                    : Runtime.getRuntime().availableProcessors();
            options.setIntraOpNumThreads(threads);
            if (o.cuda()) {
                addCuda(options, o.deviceId());
            }
            OrtSession session = environment().createSession(onnxFile.toString(), options);
            LOG.infof(
                    "loaded %s on %s in %d ms (intra-op threads %s, optimisation %s)",
                    onnxFile,
                    o.cuda() ? "CUDA device " + o.deviceId() : "CPU",
                    (System.nanoTime() - started) / 1_000_000,
                    threads,
                    o.optimizationLevel());
            return session;
        } catch (OrtException e) {
            throw new PackException("ONNX Runtime cannot load " + onnxFile + ": " + e.getMessage(), e);
        }
    }

    private static void addCuda(OrtSession.SessionOptions options, int deviceId) throws OrtException {
        EnumSet<OrtProvider> available = OrtEnvironment.getAvailableProviders();
        if (!available.contains(OrtProvider.CUDA)) {
            throw new IllegalStateException(OnnxConfig.EXECUTION_PROVIDER + " is cuda, but this ONNX Runtime has no "
                    + "CUDA provider (available: " + available + "): run the onnxruntime_gpu build (-Pgpu) on a host "
                    + "with CUDA 12 and cuDNN 9, or set " + OnnxConfig.EXECUTION_PROVIDER + "=cpu");
        }
        try {
            options.addCUDA(deviceId);
        } catch (OrtException e) {
            throw new IllegalStateException(
                    "the CUDA provider failed to start on device " + deviceId + " (" + OnnxConfig.DEVICE_ID + "): "
                            + e.getMessage(),
                    e);
        }
    }

    private static OptLevel level(String name) {
        return switch (name) {
            case "all" -> OptLevel.ALL_OPT;
            case "extended" -> OptLevel.EXTENDED_OPT;
            case "basic" -> OptLevel.BASIC_OPT;
            case "none" -> OptLevel.NO_OPT;
            default -> throw new IllegalArgumentException(OnnxConfig.OPTIMIZATION_LEVEL + ": unknown level " + name);
        };
    }
}
