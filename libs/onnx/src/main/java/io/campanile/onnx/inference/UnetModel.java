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
import io.campanile.onnx.StepBatching;
import io.campanile.onnx.inference.GraphSignature.Spec;
import io.campanile.packs.ModelPack;
import io.campanile.packs.PackException;
import io.campanile.packs.PackManifest;
import io.campanile.packs.PackManifest.Conditioning;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A UNet pack loaded in ONNX Runtime: its graph checked against its manifest at load, then one {@link #run} per
 * denoising step. Calls from concurrent jobs are merged into one call up to the pack's {@link StepBatching} limits
 * (continuous batching, {@link StepBatcher}); each gets its own rows back. Calls on the session are serialised (the
 * input and output buffers are reused while the batch shape stays the same). A graph with a {@code sample_index}
 * input shares its encoder between rows that denoise the same sample (see {@link UnetInput#sampleIndex()}); any other
 * graph gets such rows expanded before the call.
 */
public final class UnetModel implements AutoCloseable {
    private final ModelPack pack;
    private final OrtSession session;
    private final UnetSignature signature;
    private final int outChannels;
    private final StepBatcher batcher;
    private UnetFeeds feeds;
    private long runNanos;
    private int runs;

    private UnetModel(ModelPack pack, OrtSession session, UnetSignature signature, StepBatching batching) {
        this.pack = pack;
        this.session = session;
        this.signature = signature;
        this.outChannels = pack.manifest().outputChannels();
        int size = signature.size();
        long bytesPerRow = Float.BYTES
                * ((long) (signature.sampleChannels() + outChannels) * size * size + signature.conditioningLength(1));
        this.batcher = batching.merges() ? new StepBatcher(batching, bytesPerRow, this::runMerged) : null;
    }

    /** Loads a UNet pack whose calls are never merged; see {@link #load(ModelPack, OnnxOptions, StepBatching)}. */
    public static UnetModel load(ModelPack pack, OnnxOptions options) {
        return load(pack, options, StepBatching.off());
    }

    /**
     * Loads a UNet pack and checks its graph's inputs and outputs against the manifest.
     *
     * @param batching how the calls of concurrent jobs are merged
     *
     * @throws PackException when the pack is not a UNet, is not installed, or its graph does not match its manifest
     */
    public static UnetModel load(ModelPack pack, OnnxOptions options, StepBatching batching) {
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
            return new UnetModel(pack, session, signature, batching);
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

    /**
     * One UNet call, merged with the calls other jobs make at the same time on this pack.
     *
     * @return out_sample [B, C or 2C, S, S] (epsilon, then the variance channels for {@code epsilon_variance}), one
     *     per row
     * @throws IllegalArgumentException naming the input whose shape or presence is wrong
     * @throws NonFiniteOutputException when the output holds NaN or infinity
     */
    public Tensor run(UnetInput in) {
        signature.validate(in);
        if (batcher == null) {
            return (Tensor) checked(runMerged(List.of(in)).get(0));
        }
        return batcher.run(in);
    }

    /** Merged calls that held more than one job's rows since load, and their rows: [calls, rows]. */
    public long[] mergedCounts() {
        return batcher == null ? new long[2] : batcher.mergedCounts();
    }

    private static Object checked(Object result) {
        if (result instanceof RuntimeException e) {
            throw e;
        }
        return result;
    }

    /** Runs the parts as one call: per part, its rows or the failure that is its own (a non-finite output). */
    private synchronized List<Object> runMerged(List<UnetInput> parts) {
        int[] shape = UnetFeeds.shape(signature, parts);
        int b = shape[0];
        int m = shape[1];
        int need = Math.max(b, m);
        if (feeds == null || feeds.capacity < need) { // grows by half at least, to the largest call, then stays
            feeds = new UnetFeeds(signature, outChannels, Math.max(need, feeds == null ? 0 : feeds.capacity * 3 / 2));
        }
        UnetFeeds f = feeds;
        f.use(b, m);
        f.fill(parts);
        boolean shared = signature.sharedEncoder();
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
                    "pack " + pack.id() + ": ONNX Runtime failed at timestep "
                            + parts.get(0).timesteps()[0] + ": " + e.getMessage(),
                    e);
        }
        List<Tensor> results = f.read(parts, outChannels);
        List<Object> checked = new ArrayList<>(parts.size());
        for (int i = 0; i < parts.size(); i++) {
            UnetInput in = parts.get(i);
            try {
                Buffers.requireFinite(pack.id(), results.get(i), k -> "at timestep " + in.timesteps()[k] + " (" + OUT);
                checked.add(results.get(i));
            } catch (NonFiniteOutputException e) {
                checked.add(e);
            }
        }
        return checked;
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

    static void closeQuietly(OrtSession session, RuntimeException cause) {
        try {
            session.close();
        } catch (OrtException e) {
            cause.addSuppressed(e);
        }
    }
}
