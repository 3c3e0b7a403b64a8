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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * A time- or class-conditioned model's noise estimate run by ONNX Runtime on its exported pack graph, the graph the
 * stage-1 worker serves ({@link PackExporter}, {@link UnetModel}): the trainer's sampler (figures, evaluation, the
 * benchmark) runs on it. Classifier-free guidance sends each image once, with a {@code sample_index} that gives its
 * conditional and unconditional rows the same sample, so the graph's encoder runs once per image instead of twice.
 *
 * <p>The images of a call are split over lanes, one per processor (each lane at least {@link #MIN_LANE_SAMPLES}
 * images): each lane is a session with one intra-op thread on a thread of its own, and the lanes run side by side.
 * On the 2-core machine two such lanes of 20 digits ran a CFG step of the D 64 UNet 8-10% faster than one session
 * with two threads on 40: the small feature maps leave ONNX Runtime's intra-op threads waiting on each other at
 * every operator. A row's estimate does not depend on the rows beside it, so the split changes no value. A call of
 * fewer than {@code 2 * MIN_LANE_SAMPLES} images runs on one lane, one thread: the sampler's calls (figures,
 * evaluation, the benchmark) bring 40 or more.
 *
 * <p>A snapshot of the weights when made: make another after training on. Not thread-safe.
 */
public final class OnnxEpsilon implements EpsilonModel, AutoCloseable {
    /** Fewer images than this per lane, and the lanes' fixed costs outweigh the split. */
    static final int MIN_LANE_SAMPLES = 8;
    /** One lane per processor. */
    private static final int LANES = Runtime.getRuntime().availableProcessors();

    private final List<SamplerLane> lanes;
    private final int numTimesteps;
    private final int numClasses;
    private final boolean share;

    private OnnxEpsilon(List<SamplerLane> lanes, PackManifest m, boolean share) {
        this.lanes = lanes;
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
            return load(new ModelPack(dir, m), share, LANES);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the sampler's graph", e);
        } finally {
            deleteQuietly(dir); // the sessions hold the graph in memory (no external data)
        }
    }

    /**
     * An exported MNIST pack on disk (a graph without {@code sample_index}, as packs exported before it, gets the
     * two rows of guidance as two samples).
     */
    public static OnnxEpsilon open(Path packDir) {
        return load(new ModelPack(packDir, Manifests.read(packDir)), true, LANES);
    }

    /** With {@code lanes} sessions of one thread each (1: one session with a thread per processor). */
    static OnnxEpsilon load(ModelPack pack, boolean share, int lanes) {
        List<SamplerLane> made = new ArrayList<>();
        try {
            OnnxOptions options = lanes == 1
                    ? OnnxOptions.defaults()
                    : new OnnxOptions(
                            OnnxOptions.CPU, 0, 1, OnnxOptions.defaults().optimizationLevel());
            for (int i = 0; i < Math.max(1, lanes); i++) {
                made.add(new SamplerLane(pack, options, i));
            }
            return new OnnxEpsilon(List.copyOf(made), pack.manifest(), share);
        } catch (RuntimeException e) {
            SamplerLane.closeAll(made, e);
            throw e;
        }
    }

    /** The lanes a call of n images uses, and the first image of each (then n). */
    private int[] split(int n) {
        int used = Math.max(1, Math.min(lanes.size(), n / MIN_LANE_SAMPLES));
        int[] from = new int[used + 1];
        for (int k = 0; k <= used; k++) {
            from[k] = (int) ((long) n * k / used);
        }
        return from;
    }

    @Override
    public float[] predict(float[] x, float[] t, float[] c, int n) {
        int[] from = split(n);
        int plane = UNetSpec.SIZE * UNetSpec.SIZE;
        List<Future<Tensor>> parts = new ArrayList<>();
        for (int k = 0; k + 1 < from.length; k++) {
            int a = from[k];
            int m = from[k + 1] - a;
            long[] steps = new long[m];
            for (int i = 0; i < m; i++) {
                steps[i] = Math.round(t[a + i] * numTimesteps);
            }
            Tensor sample = images(x, a, m);
            UnetInput in = numClasses > 0
                    ? UnetInput.classes(
                            sample,
                            steps,
                            new Tensor(
                                    new int[] {m, numClasses},
                                    Arrays.copyOfRange(c, a * numClasses, (a + m) * numClasses)))
                    : UnetInput.unconditional(sample, steps);
            parts.add(lanes.get(k).submit(in));
        }
        float[] out = new float[n * plane];
        for (int k = 0; k < parts.size(); k++) {
            float[] d = SamplerLane.join(parts.get(k)).data();
            System.arraycopy(d, 0, out, from[k] * plane, d.length);
        }
        return out;
    }

    /**
     * Per lane, one call of 2m rows over its m images: row i and row m + i (its unconditional twin) share image i.
     */
    @Override
    public float[] guided(float[] x, float t, float[] c, int n, float scale) {
        if (!share) {
            return EpsilonModel.super.guided(x, t, c, n, scale);
        }
        int[] from = split(n);
        int plane = UNetSpec.SIZE * UNetSpec.SIZE;
        long step = Math.round(t * numTimesteps);
        List<Future<Tensor>> parts = new ArrayList<>();
        for (int k = 0; k + 1 < from.length; k++) {
            SamplerLane lane = lanes.get(k);
            int a = from[k];
            int m = from[k + 1] - a;
            if (lane.guidedClasses != c || lane.guidedFrom != a || lane.guidedRows.length != 2 * m) {
                // The same classes come at every step of a run: their rows (then zeros) and the row index are built
                // once, and UnetModel copies a conditioning tensor it has seen only once (callers do not change an
                // array they pass again, as UnetModel asks of its conditioning).
                float[] c2 = new float[2 * m * numClasses];
                System.arraycopy(c, a * numClasses, c2, 0, m * numClasses);
                lane.guidedConditioning = new Tensor(new int[] {2 * m, numClasses}, c2);
                lane.guidedRows = new long[2 * m];
                for (int i = 0; i < m; i++) {
                    lane.guidedRows[i] = i;
                    lane.guidedRows[m + i] = i;
                }
                lane.guidedClasses = c;
                lane.guidedFrom = a;
            }
            long[] steps = new long[2 * m];
            Arrays.fill(steps, step);
            parts.add(lane.submit(UnetInput.classes(images(x, a, m), steps, lane.guidedConditioning)
                    .sharing(lane.guidedRows)));
        }
        float[] eps = new float[x.length];
        for (int k = 0; k < parts.size(); k++) {
            int a = from[k];
            int m = from[k + 1] - a;
            float[] out = SamplerLane.join(parts.get(k)).data();
            Guidance.mix(out, 0, out, m * plane, scale, eps, a * plane, m * plane);
        }
        return eps;
    }

    /** Images a .. a + m - 1 of x as [m, 1, 28, 28]. */
    private static Tensor images(float[] x, int a, int m) {
        int plane = UNetSpec.SIZE * UNetSpec.SIZE;
        return new Tensor(
                new int[] {m, 1, UNetSpec.SIZE, UNetSpec.SIZE}, Arrays.copyOfRange(x, a * plane, (a + m) * plane));
    }

    /** The pack's T: the network sees t / T. */
    public int numTimesteps() {
        return numTimesteps;
    }

    /** Whether the graph shares its encoder between rows (class-conditioned packs). */
    public boolean sharesEncoder() {
        return share && lanes.get(0).unet.sharesEncoder();
    }

    @Override
    public void close() {
        RuntimeException failed = SamplerLane.closeAll(lanes, null);
        if (failed != null) {
            throw failed;
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
