package io.campanile.onnx.inference;

import static io.campanile.onnx.inference.UnetSignature.CLASS_LABELS;
import static io.campanile.onnx.inference.UnetSignature.OUT;
import static io.campanile.onnx.inference.UnetSignature.SAMPLE;
import static io.campanile.onnx.inference.UnetSignature.SAMPLE_INDEX;
import static io.campanile.onnx.inference.UnetSignature.TIMESTEP;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.campanile.diffusion.tensor.Tensor;
import io.campanile.onnx.OnnxOptions;
import io.campanile.onnx.inference.GraphSignature.Spec;
import io.campanile.packs.ModelPack;
import io.campanile.packs.PackException;
import io.campanile.packs.PackManifest;
import io.campanile.packs.PackManifest.Conditioning;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A UNet pack loaded in ONNX Runtime: its graph checked against its manifest at load, then one {@link #run} per
 * denoising step. Calls are serialised (the input and output buffers are reused while the batch shape stays the
 * same). A graph with a {@code sample_index} input shares its encoder between rows that denoise the same sample
 * (see {@link UnetInput#sampleIndex()}); any other graph gets such rows expanded before the call.
 */
public final class UnetModel implements AutoCloseable {
    private final ModelPack pack;
    private final OrtSession session;
    private final UnetSignature signature;
    private final int plane;
    private Feeds feeds;
    private long runNanos;
    private int runs;

    /** Direct buffers for one batch shape: {@code rows} rows over {@code samples} distinct samples. */
    private record Feeds(
            int rows,
            int samples,
            FloatBuffer sample,
            LongBuffer index,
            LongBuffer timestep,
            FloatBuffer conditioning,
            LongBuffer labels,
            FloatBuffer out) {}

    private UnetModel(ModelPack pack, OrtSession session, UnetSignature signature) {
        this.pack = pack;
        this.session = session;
        this.signature = signature;
        this.plane = signature.sampleChannels() * signature.size() * signature.size();
    }

    /**
     * Loads a UNet pack and checks its graph's inputs and outputs against the manifest.
     *
     * @throws PackException when the pack is not a UNet, is not installed, or its graph does not match its manifest
     */
    public static UnetModel load(ModelPack pack, OnnxOptions options) {
        PackManifest m = pack.manifest();
        if (!m.isUnet()) {
            throw new PackException("pack " + pack.id() + " is a " + m.kind() + ", not a unet");
        }
        if (!pack.installed()) {
            throw new PackException("pack " + pack.id() + " is not installed: " + pack.onnxFile() + " is missing");
        }
        OrtSession session = OnnxSessions.open(pack.onnxFile(), options);
        try {
            List<String> names = GraphSignature.inputNames(session);
            boolean upscaler = m.isUpscaler() || m.conditioning() == Conditioning.T5 && names.contains(CLASS_LABELS);
            UnetSignature signature = UnetSignature.of(pack.id(), m, upscaler, names.contains(SAMPLE_INDEX));
            GraphSignature.check(
                    pack,
                    session,
                    signature.inputs(),
                    List.of(new Spec(
                            OUT,
                            OnnxJavaType.FLOAT,
                            GraphSignature.BATCH,
                            m.outputChannels(),
                            m.imageSize(),
                            m.imageSize())));
            return new UnetModel(pack, session, signature);
        } catch (RuntimeException e) {
            closeQuietly(session, e);
            throw e;
        }
    }

    public ModelPack pack() {
        return pack;
    }

    /** Whether this is an IF stage-II style upscaler: sample [B, 2C, S, S] and class_labels = noise level. */
    public boolean upscaler() {
        return signature.upscaler();
    }

    /** Whether the graph runs its encoder once per distinct sample ({@link UnetInput#sampleIndex()}). */
    public boolean sharesEncoder() {
        return signature.sharedEncoder();
    }

    private Tensor lastConditioning;

    private Object lastConditioningFeeds;

    /**
     * One UNet call.
     *
     * @return out_sample [B, C or 2C, S, S] (epsilon, then the variance channels for {@code epsilon_variance}), one
     *     per row
     * @throws IllegalArgumentException naming the input whose shape or presence is wrong
     * @throws NonFiniteOutputException when the output holds NaN or infinity
     */
    public synchronized Tensor run(UnetInput in) {
        int b = signature.validate(in);
        boolean shared = signature.sharedEncoder();
        int m = shared && in.sampleIndex() != null ? in.samples() : b;
        Feeds f = feeds(b, m);
        fillSamples(in, f);
        f.timestep().put(0, in.timesteps());
        if (signature.conditioningInput() != null
                && (in.conditioning() != lastConditioning || f != lastConditioningFeeds)) {
            // The conditioning rows rarely change between steps (megabytes for T5 states): copied only when a
            // different tensor comes in. Callers never modify a conditioning tensor they pass again.
            f.conditioning().put(0, in.conditioning().data());
            lastConditioning = in.conditioning();
            lastConditioningFeeds = f;
        }
        if (signature.upscaler()) {
            f.labels().put(0, in.classLabels());
        }
        int outChannels = pack.manifest().outputChannels();
        int size = signature.size();
        OrtEnvironment env = OnnxSessions.environment();
        try (OnnxTensor sample = OnnxTensor.createTensor(
                        env, f.sample(), Buffers.shape(m, signature.sampleChannels(), size, size));
                OnnxTensor index = shared ? OnnxTensor.createTensor(env, f.index(), Buffers.shape(b)) : null;
                OnnxTensor t = OnnxTensor.createTensor(env, f.timestep(), Buffers.shape(b));
                OnnxTensor c = signature.conditioningInput() == null
                        ? null
                        : OnnxTensor.createTensor(env, f.conditioning(), signature.conditioningShape(b));
                OnnxTensor labels =
                        signature.upscaler() ? OnnxTensor.createTensor(env, f.labels(), Buffers.shape(b)) : null;
                OnnxTensor out = OnnxTensor.createTensor(env, f.out(), Buffers.shape(b, outChannels, size, size))) {
            Map<String, OnnxTensor> inputs = new HashMap<>();
            inputs.put(SAMPLE, sample);
            inputs.put(TIMESTEP, t);
            if (index != null) {
                inputs.put(SAMPLE_INDEX, index);
            }
            if (c != null) {
                inputs.put(signature.conditioningInput(), c);
            }
            if (labels != null) {
                inputs.put(CLASS_LABELS, labels);
            }
            long started = System.nanoTime();
            try (OrtSession.Result ignored = session.run(inputs, Map.of(OUT, out))) {
                runNanos += System.nanoTime() - started;
                runs++;
            }
        } catch (OrtException e) {
            throw new PackException(
                    "pack " + pack.id() + ": ONNX Runtime failed at timestep " + in.timesteps()[0] + ": "
                            + e.getMessage(),
                    e);
        }
        Tensor result = Tensor.zeros(b, outChannels, size, size);
        f.out().get(0, result.data());
        Buffers.requireFinite(pack.id(), result, i -> "at timestep " + in.timesteps()[i] + " (" + OUT);
        return result;
    }

    /**
     * The samples into the feeds: as they come when rows do not share them or the graph takes the index; else each
     * row's sample copied out.
     */
    private void fillSamples(UnetInput in, Feeds f) {
        float[] data = in.sample().data();
        long[] index = in.sampleIndex();
        if (index == null || signature.sharedEncoder()) {
            f.sample().put(0, data, 0, f.samples() * plane);
            if (signature.sharedEncoder()) {
                if (index != null) {
                    f.index().put(0, index);
                } else {
                    for (int i = 0; i < f.rows(); i++) {
                        f.index().put(i, i);
                    }
                }
            }
            return;
        }
        for (int row = 0; row < index.length; row++) {
            f.sample().put(row * plane, data, Math.toIntExact(index[row] * plane), plane);
        }
    }

    /** Nanoseconds spent inside ONNX Runtime's {@code run} since load or {@link #resetCounters()}. */
    public synchronized long runNanos() {
        return runNanos;
    }

    /** Calls since load or {@link #resetCounters()}. */
    public synchronized int runs() {
        return runs;
    }

    public synchronized void resetCounters() {
        runNanos = 0;
        runs = 0;
    }

    @Override
    public synchronized void close() {
        feeds = null;
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("pack " + pack.id() + ": cannot close its session", e);
        }
    }

    private Feeds feeds(int b, int m) {
        if (feeds == null || feeds.rows() != b || feeds.samples() != m) {
            long c = signature.conditioningLength(b);
            feeds = new Feeds(
                    b,
                    m,
                    Buffers.floats((long) m * plane),
                    signature.sharedEncoder() ? Buffers.longs(b) : null,
                    Buffers.longs(b),
                    c == 0 ? null : Buffers.floats(c),
                    signature.upscaler() ? Buffers.longs(b) : null,
                    Buffers.floats((long) b * pack.manifest().outputChannels() * signature.size() * signature.size()));
        }
        return feeds;
    }

    static void closeQuietly(OrtSession session, RuntimeException cause) {
        try {
            session.close();
        } catch (OrtException e) {
            cause.addSuppressed(e);
        }
    }
}
