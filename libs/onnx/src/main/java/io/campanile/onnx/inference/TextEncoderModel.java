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
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.List;
import java.util.Map;

/**
 * A text-encoder pack (T5) loaded in ONNX Runtime: input_ids and attention_mask int64 [B, tokens] to
 * last_hidden_state float32 [B, tokens, width]. Calls are serialised (buffers are reused per batch size).
 */
public final class TextEncoderModel implements AutoCloseable {
    static final String IDS = "input_ids";
    static final String MASK = "attention_mask";
    static final String OUT = "last_hidden_state";

    private final ModelPack pack;
    private final OrtSession session;
    private final int tokens;
    private final int width;
    private int batch;
    private LongBuffer ids;
    private LongBuffer mask;
    private FloatBuffer out;

    private TextEncoderModel(ModelPack pack, OrtSession session) {
        this.pack = pack;
        this.session = session;
        this.tokens = pack.manifest().embeddingTokens();
        this.width = pack.manifest().embeddingWidth();
    }

    /**
     * Loads a text-encoder pack and checks its graph's inputs and outputs against the manifest.
     *
     * @throws PackException when the pack is not a text encoder, is not installed, or does not match its manifest
     */
    public static TextEncoderModel load(ModelPack pack, OnnxOptions options) {
        PackManifest m = pack.manifest();
        if (!m.isTextEncoder()) {
            throw new PackException("pack " + pack.id() + " is a " + m.kind() + ", not a text-encoder");
        }
        if (!pack.installed()) {
            throw new PackException("pack " + pack.id() + " is not installed: " + pack.onnxFile() + " is missing");
        }
        OrtSession session = OnnxSessions.open(pack.onnxFile(), options);
        try {
            long b = GraphSignature.BATCH;
            int t = m.embeddingTokens();
            GraphSignature.check(
                    pack,
                    session,
                    List.of(new Spec(IDS, OnnxJavaType.INT64, b, t), new Spec(MASK, OnnxJavaType.INT64, b, t)),
                    List.of(new Spec(OUT, OnnxJavaType.FLOAT, b, t, m.embeddingWidth())));
            return new TextEncoderModel(pack, session);
        } catch (RuntimeException e) {
            UnetModel.closeQuietly(session, e);
            throw e;
        }
    }

    public ModelPack pack() {
        return pack;
    }

    /**
     * Encodes B token sequences.
     *
     * @param ids token ids [B][tokens]
     * @param mask 1 for real tokens, 0 for padding [B][tokens]
     * @return last_hidden_state [B, tokens, width]
     * @throws IllegalArgumentException when a row does not have exactly {@code tokens} entries
     * @throws NonFiniteOutputException when the output holds NaN or infinity (e.g. an fp16 T5)
     */
    public synchronized Tensor encode(long[][] ids, long[][] mask) {
        int b = validate(ids, mask);
        if (batch != b) {
            batch = b;
            this.ids = Buffers.longs((long) b * tokens);
            this.mask = Buffers.longs((long) b * tokens);
            this.out = Buffers.floats((long) b * tokens * width);
        }
        for (int i = 0; i < b; i++) {
            this.ids.put(i * tokens, ids[i]);
            this.mask.put(i * tokens, mask[i]);
        }
        OrtEnvironment env = OnnxSessions.environment();
        try (OnnxTensor idTensor = OnnxTensor.createTensor(env, this.ids, Buffers.shape(b, tokens));
                OnnxTensor maskTensor = OnnxTensor.createTensor(env, this.mask, Buffers.shape(b, tokens));
                OnnxTensor outTensor = OnnxTensor.createTensor(env, out, Buffers.shape(b, tokens, width));
                OrtSession.Result ignored =
                        session.run(Map.of(IDS, idTensor, MASK, maskTensor), Map.of(OUT, outTensor))) {
            Tensor result = Tensor.zeros(b, tokens, width);
            out.get(0, result.data());
            Buffers.requireFinite(pack.id(), result, i -> "in " + OUT + " (prompt " + i);
            return result;
        } catch (OrtException e) {
            throw new PackException("pack " + pack.id() + ": ONNX Runtime failed: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        ids = null;
        mask = null;
        out = null;
        batch = 0;
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("pack " + pack.id() + ": cannot close its session", e);
        }
    }

    private int validate(long[][] ids, long[][] mask) {
        if (ids == null || mask == null || ids.length == 0 || ids.length != mask.length) {
            throw new IllegalArgumentException(IDS + " and " + MASK + " must hold the same number (at least 1) of "
                    + "rows, got " + (ids == null ? "null" : ids.length) + " and "
                    + (mask == null ? "null" : mask.length));
        }
        for (int i = 0; i < ids.length; i++) {
            if (ids[i].length != tokens || mask[i].length != tokens) {
                throw new IllegalArgumentException(IDS + "/" + MASK + " row " + i + ": pack " + pack.id() + " takes "
                        + tokens + " tokens, got " + ids[i].length + "/" + mask[i].length);
            }
        }
        return ids.length;
    }
}
