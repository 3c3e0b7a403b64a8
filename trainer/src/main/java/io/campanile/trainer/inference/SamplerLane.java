package io.campanile.trainer.inference;

import io.campanile.diffusion.tensor.Tensor;
import io.campanile.onnx.OnnxOptions;
import io.campanile.onnx.inference.UnetInput;
import io.campanile.onnx.inference.UnetModel;
import io.campanile.packs.ModelPack;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One lane of {@link OnnxEpsilon}: a session on a thread of its own, with the conditioning of its last guided call.
 */
final class SamplerLane {
    /**
     * ONNX Runtime's calls run on threads of their own with a 64 MB stack: in a JVM where ND4J has run, ONNX
     * Runtime recursed past the default 1 MB (and 4 MB) thread stack and the process died of SIGSEGV without a JVM
     * crash report (seen from {@code trainer/bin/run}; a core dump showed the recursion inside libonnxruntime).
     */
    private static final long STACK_BYTES = 64L << 20;

    final ExecutorService thread;
    final UnetModel unet;
    /** The classes array of the last guided call, its first image, and its conditioning rows and row index. */
    float[] guidedClasses;

    int guidedFrom = -1;
    Tensor guidedConditioning;
    long[] guidedRows = new long[0];

    SamplerLane(ModelPack pack, OnnxOptions options, int index) {
        thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(null, r, "onnx-sampler-" + index, STACK_BYTES);
            t.setDaemon(true);
            return t;
        });
        try {
            unet = join(thread.submit(() -> UnetModel.load(pack, options)));
        } catch (RuntimeException e) {
            thread.shutdownNow();
            throw e;
        }
    }

    Future<Tensor> submit(UnetInput in) {
        return thread.submit(() -> unet.run(in));
    }

    void close() {
        try {
            join(thread.submit(() -> {
                unet.close();
                return null;
            }));
        } finally {
            thread.shutdown();
        }
    }

    static <T> T join(Future<T> work) {
        try {
            return work.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while ONNX Runtime ran", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * Closes every lane, even after one fails; returns {@code cause}, or else the first failure, with the later ones
     * suppressed.
     */
    static RuntimeException closeAll(List<SamplerLane> lanes, RuntimeException cause) {
        RuntimeException first = cause;
        for (SamplerLane lane : lanes) {
            try {
                lane.close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        return first;
    }
}
