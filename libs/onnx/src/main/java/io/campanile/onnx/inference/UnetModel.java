package io.campanile.onnx.inference;

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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A UNet pack loaded in ONNX Runtime: its graph checked against its manifest at load, then one {@link #run} per
 * denoising step. Calls are serialised (the input and output buffers are reused while the batch size stays the same).
 */
public final class UnetModel implements AutoCloseable {
    static final String SAMPLE = "sample";
    static final String TIMESTEP = "timestep";
    static final String STATES = "encoder_hidden_states";
    static final String CLASS_VECTOR = "class_vector";
    static final String CLASS_LABELS = "class_labels";
    static final String OUT = "out_sample";

    private final ModelPack pack;
    private final OrtSession session;
    private final boolean upscaler;
    private final int sampleChannels;
    private final int size;
    private final String conditioningInput;
    private final int[] conditioningDims;
    private Feeds feeds;
    private long runNanos;
    private int runs;

    /** Direct buffers for one batch size. */
    private record Feeds(
            int batch,
            FloatBuffer sample,
            LongBuffer timestep,
            FloatBuffer conditioning,
            LongBuffer labels,
            FloatBuffer out) {}

    private UnetModel(ModelPack pack, OrtSession session, boolean upscaler) {
        PackManifest m = pack.manifest();
        this.pack = pack;
        this.session = session;
        this.upscaler = upscaler;
        this.sampleChannels = upscaler ? 2 * m.channels() : m.channels();
        this.size = m.imageSize();
        this.conditioningInput = conditioningInput(m);
        this.conditioningDims = m.conditioning() == Conditioning.CLASS
                ? new int[] {m.embeddingWidth()}
                : new int[] {m.embeddingTokens(), m.embeddingWidth()};
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
            boolean upscaler = m.isUpscaler()
                    || m.conditioning() == Conditioning.T5
                            && GraphSignature.inputNames(session).contains(CLASS_LABELS);
            GraphSignature.check(
                    pack,
                    session,
                    inputs(m, upscaler),
                    List.of(new Spec(
                            OUT,
                            OnnxJavaType.FLOAT,
                            GraphSignature.BATCH,
                            m.outputChannels(),
                            m.imageSize(),
                            m.imageSize())));
            return new UnetModel(pack, session, upscaler);
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
        return upscaler;
    }

    /**
     * One UNet call.
     *
     * @return out_sample [B, C or 2C, S, S] (epsilon, then the variance channels for {@code epsilon_variance})
     * @throws IllegalArgumentException naming the input whose shape or presence is wrong
     * @throws NonFiniteOutputException when the output holds NaN or infinity
     */
    private Tensor lastConditioning;

    private Object lastConditioningFeeds;

    public synchronized Tensor run(UnetInput in) {
        int b = validate(in);
        Feeds f = feeds(b);
        f.sample().put(0, in.sample().data());
        f.timestep().put(0, in.timesteps());
        if (conditioningInput != null && (in.conditioning() != lastConditioning || f != lastConditioningFeeds)) {
            // The conditioning rows rarely change between steps (megabytes for T5 states): copied only when a
            // different tensor comes in. Callers never modify a conditioning tensor they pass again.
            f.conditioning().put(0, in.conditioning().data());
            lastConditioning = in.conditioning();
            lastConditioningFeeds = f;
        }
        if (upscaler) {
            f.labels().put(0, in.classLabels());
        }
        int outChannels = pack.manifest().outputChannels();
        OrtEnvironment env = OnnxSessions.environment();
        try (OnnxTensor sample =
                        OnnxTensor.createTensor(env, f.sample(), Buffers.shape(b, sampleChannels, size, size));
                OnnxTensor t = OnnxTensor.createTensor(env, f.timestep(), Buffers.shape(b));
                OnnxTensor c = conditioningInput == null
                        ? null
                        : OnnxTensor.createTensor(env, f.conditioning(), conditioningShape(b));
                OnnxTensor labels = upscaler ? OnnxTensor.createTensor(env, f.labels(), Buffers.shape(b)) : null;
                OnnxTensor out = OnnxTensor.createTensor(env, f.out(), Buffers.shape(b, outChannels, size, size))) {
            Map<String, OnnxTensor> inputs = new HashMap<>();
            inputs.put(SAMPLE, sample);
            inputs.put(TIMESTEP, t);
            if (c != null) {
                inputs.put(conditioningInput, c);
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

    private int validate(UnetInput in) {
        String id = pack.id();
        if (in.sample().rank() != 4 || in.batch() < 1) {
            throw new IllegalArgumentException("sample: pack " + id + " takes [B, " + sampleChannels + ", " + size
                    + ", " + size + "], got " + in.sample().shapeString());
        }
        int b = in.batch();
        in.sample().requireShape(SAMPLE, b, sampleChannels, size, size);
        requireLength(TIMESTEP, in.timesteps(), b);
        if (conditioningInput == null) {
            if (in.conditioning() != null) {
                throw new IllegalArgumentException("conditioning: pack " + id + " takes none, got "
                        + in.conditioning().shapeString());
            }
        } else if (in.conditioning() == null) {
            throw new IllegalArgumentException(conditioningInput + ": pack " + id + " needs it, got none");
        } else {
            int[] shape = new int[conditioningDims.length + 1];
            shape[0] = b;
            System.arraycopy(conditioningDims, 0, shape, 1, conditioningDims.length);
            in.conditioning().requireShape(conditioningInput, shape);
        }
        if (upscaler) {
            if (in.classLabels() == null) {
                throw new IllegalArgumentException(
                        CLASS_LABELS + ": pack " + id + " is an upscaler and needs the " + "noise level per sample");
            }
            requireLength(CLASS_LABELS, in.classLabels(), b);
        } else if (in.classLabels() != null) {
            throw new IllegalArgumentException(
                    CLASS_LABELS + ": pack " + id + " is not an upscaler, got " + in.classLabels().length + " values");
        }
        return b;
    }

    private static void requireLength(String name, long[] values, int batch) {
        if (values.length != batch) {
            throw new IllegalArgumentException(
                    name + ": expected " + batch + " values (one per sample), got " + values.length);
        }
    }

    private Feeds feeds(int b) {
        if (feeds == null || feeds.batch() != b) {
            long c = conditioningInput == null
                    ? 0
                    : (long) b * conditioningDims[0] * (conditioningDims.length > 1 ? conditioningDims[1] : 1);
            feeds = new Feeds(
                    b,
                    Buffers.floats((long) b * sampleChannels * size * size),
                    Buffers.longs(b),
                    c == 0 ? null : Buffers.floats(c),
                    upscaler ? Buffers.longs(b) : null,
                    Buffers.floats((long) b * pack.manifest().outputChannels() * size * size));
        }
        return feeds;
    }

    private long[] conditioningShape(int b) {
        long[] s = new long[conditioningDims.length + 1];
        s[0] = b;
        for (int i = 0; i < conditioningDims.length; i++) {
            s[i + 1] = conditioningDims[i];
        }
        return s;
    }

    /** The inputs a UNet manifest implies (see {@link PackManifest}). */
    static List<Spec> inputs(PackManifest m, boolean upscaler) {
        long batch = GraphSignature.BATCH;
        int s = m.imageSize();
        List<Spec> specs = new ArrayList<>();
        specs.add(new Spec(SAMPLE, OnnxJavaType.FLOAT, batch, upscaler ? 2L * m.channels() : m.channels(), s, s));
        specs.add(new Spec(TIMESTEP, OnnxJavaType.INT64, batch));
        if (m.conditioning() == Conditioning.T5) {
            specs.add(new Spec(STATES, OnnxJavaType.FLOAT, batch, m.embeddingTokens(), m.embeddingWidth()));
        } else if (m.conditioning() == Conditioning.CLASS) {
            specs.add(new Spec(CLASS_VECTOR, OnnxJavaType.FLOAT, batch, m.embeddingWidth()));
        }
        if (upscaler) {
            specs.add(new Spec(CLASS_LABELS, OnnxJavaType.INT64, batch));
        }
        return specs;
    }

    private static String conditioningInput(PackManifest m) {
        return switch (m.conditioning()) {
            case T5 -> STATES;
            case CLASS -> CLASS_VECTOR;
            case NONE -> null;
        };
    }

    static void closeQuietly(OrtSession session, RuntimeException cause) {
        try {
            session.close();
        } catch (OrtException e) {
            cause.addSuppressed(e);
        }
    }
}
