package io.campanile.trainer.inference;

import io.campanile.diffusion.tensor.Tensor;
import io.campanile.engine.loop.Guidance;
import io.campanile.onnx.OnnxOptions;
import io.campanile.onnx.inference.UnetInput;
import io.campanile.onnx.inference.UnetModel;
import io.campanile.packs.Manifests;
import io.campanile.packs.ModelPack;
import io.campanile.packs.PackManifest;
import io.campanile.packs.PackManifest.Conditioning;
import io.campanile.trainer.model.EpsilonModel;
import io.campanile.trainer.model.UNetSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

/**
 * A time- or class-conditioned model's noise estimate run by ONNX Runtime on its exported pack graph, the graph the
 * stage-1 worker serves ({@link PackExporter}, {@link UnetModel}): the trainer's sampler (figures, evaluation, the
 * benchmark) runs on it. Classifier-free guidance sends each image once, with a {@code sample_index} that gives its
 * conditional and unconditional rows the same sample, so the graph's encoder runs once per image instead of twice.
 * A snapshot of the weights when made: make another after training on. Not thread-safe.
 */
public final class OnnxEpsilon implements EpsilonModel, AutoCloseable {
    /**
     * ONNX Runtime's calls run on a thread of their own with a 64 MB stack: in a JVM where ND4J has run, ONNX
     * Runtime recursed past the default 1 MB (and 4 MB) thread stack and the process died of SIGSEGV without a JVM
     * crash report (seen from {@code trainer/bin/run}; a core dump showed the recursion inside libonnxruntime).
     */
    private static final long STACK_BYTES = 64L << 20;

    private final ExecutorService ort;
    private final UnetModel unet;
    private final int numTimesteps;
    private final int numClasses;
    private final boolean share;
    /** The classes array of the last guided call, and its conditioning rows and row index. */
    private float[] guidedClasses;

    private Tensor guidedConditioning;
    private long[] guidedRows = new long[0];

    private OnnxEpsilon(ExecutorService ort, UnetModel unet, boolean share) {
        PackManifest m = unet.pack().manifest();
        this.ort = ort;
        this.unet = unet;
        this.numTimesteps = m.scheduler().numTrainTimesteps();
        this.numClasses = m.conditioning() == Conditioning.CLASS ? m.embeddingWidth() : 0;
        this.share = share;
    }

    /** The model's current weights as a pack graph in ONNX Runtime, sharing the encoder under guidance. */
    public static OnnxEpsilon of(UNetModel model, int numTimesteps) {
        return of(model, numTimesteps, true);
    }

    /**
     * @param share whether guidance sends each image once (the encoder shared), or its two rows as two samples
     *     (the benchmark's comparison; the same numbers)
     */
    public static OnnxEpsilon of(UNetModel model, int numTimesteps, boolean share) {
        UNetSpec spec = model.spec();
        if (!spec.architecture().isDiffusion()) {
            throw new IllegalArgumentException("only time- or class-conditioned UNets have a pack graph");
        }
        PackManifest m = PackExporter.manifest(spec, numTimesteps, "trainer-sampler", "the model being trained");
        Path dir = null;
        try {
            dir = Files.createTempDirectory("campanile-sampler");
            PackExporter.write(dir, PackExporter.onnxBytes(model, numTimesteps), m);
            return load(new ModelPack(dir, m), share);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the sampler's graph", e);
        } finally {
            deleteQuietly(dir); // the session holds the graph in memory (no external data)
        }
    }

    /**
     * An exported MNIST pack on disk (a graph without {@code sample_index}, as packs exported before it, gets the
     * two rows of guidance as two samples).
     */
    public static OnnxEpsilon open(Path packDir) {
        return load(new ModelPack(packDir, Manifests.read(packDir)), true);
    }

    private static OnnxEpsilon load(ModelPack pack, boolean share) {
        ExecutorService ort = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(null, r, "onnx-sampler", STACK_BYTES);
            t.setDaemon(true);
            return t;
        });
        try {
            return new OnnxEpsilon(ort, call(ort, () -> UnetModel.load(pack, OnnxOptions.defaults())), share);
        } catch (RuntimeException e) {
            ort.shutdownNow();
            throw e;
        }
    }

    private static <T> T call(ExecutorService ort, Callable<T> work) {
        try {
            return ort.submit(work).get();
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

    private Tensor run(UnetInput in) {
        return call(ort, () -> unet.run(in));
    }

    @Override
    public float[] predict(float[] x, float[] t, float[] c, int n) {
        long[] steps = new long[n];
        for (int i = 0; i < n; i++) {
            steps[i] = Math.round(t[i] * numTimesteps);
        }
        Tensor sample = new Tensor(new int[] {n, 1, UNetSpec.SIZE, UNetSpec.SIZE}, x);
        UnetInput in = unet.pack().manifest().conditioning() == Conditioning.CLASS
                ? UnetInput.classes(sample, steps, new Tensor(new int[] {n, numClasses}, c))
                : UnetInput.unconditional(sample, steps);
        return run(in).data();
    }

    /** One call of 2n rows over n samples: row i and row n + i (its unconditional twin) share sample i. */
    @Override
    public float[] guided(float[] x, float t, float[] c, int n, float scale) {
        if (!share) {
            return EpsilonModel.super.guided(x, t, c, n, scale);
        }
        long step = Math.round(t * numTimesteps);
        long[] steps = new long[2 * n];
        Arrays.fill(steps, step);
        if (guidedClasses != c || guidedRows.length != 2 * n) {
            // The same classes come at every step of a run: their rows (then zeros) and the row index are built
            // once, and UnetModel copies a conditioning tensor it has seen only once (callers do not change an
            // array they pass again, as UnetModel asks of its conditioning).
            float[] c2 = new float[2 * n * numClasses];
            System.arraycopy(c, 0, c2, 0, n * numClasses);
            guidedConditioning = new Tensor(new int[] {2 * n, numClasses}, c2);
            guidedRows = new long[2 * n];
            for (int i = 0; i < n; i++) {
                guidedRows[i] = i;
                guidedRows[n + i] = i;
            }
            guidedClasses = c;
        }
        Tensor sample = new Tensor(new int[] {n, 1, UNetSpec.SIZE, UNetSpec.SIZE}, x);
        float[] out = run(UnetInput.classes(sample, steps, guidedConditioning).sharing(guidedRows))
                .data();
        float[] eps = new float[x.length];
        Guidance.mix(out, 0, out, x.length, scale, eps, 0, x.length);
        return eps;
    }

    /** The pack's T: the network sees t / T. */
    public int numTimesteps() {
        return numTimesteps;
    }

    /** Whether the graph shares its encoder between rows (class-conditioned packs). */
    public boolean sharesEncoder() {
        return share && unet.sharesEncoder();
    }

    @Override
    public void close() {
        try {
            call(ort, () -> {
                unet.close();
                return null;
            });
        } finally {
            ort.shutdown();
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder left behind is harmless
        }
    }
}
