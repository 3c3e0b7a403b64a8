package io.campanile.textencoder.inference;

import io.campanile.diffusion.tensor.Tensor;
import io.campanile.onnx.inference.TextEncoderModel;
import io.campanile.packs.ModelPack;
import io.campanile.text.T5Tokenizer;

/**
 * A text-encoder pack ready to run: its tokenizer and its ONNX session ({@code input_ids}, {@code attention_mask}
 * int64 [B, tokens] to {@code last_hidden_state} float32 [B, tokens, width]). Not thread-safe: one consumer thread.
 */
public final class LoadedEncoder implements AutoCloseable {
    private final ModelPack pack;
    private final T5Tokenizer tokenizer;
    private final TextEncoderModel model;

    LoadedEncoder(ModelPack pack, T5Tokenizer tokenizer, TextEncoderModel model) {
        this.pack = pack;
        this.tokenizer = tokenizer;
        this.model = model;
    }

    public ModelPack pack() {
        return pack;
    }

    public T5Tokenizer tokenizer() {
        return tokenizer;
    }

    /** Tokens per prompt, from the manifest's embedding_shape. */
    public int tokens() {
        return pack.manifest().embeddingTokens();
    }

    /** Width of the states, from the manifest's embedding_shape. */
    public int width() {
        return pack.manifest().embeddingWidth();
    }

    /**
     * One encoder run.
     *
     * @param ids token ids [B][tokens]
     * @param mask attention mask [B][tokens]
     * @return last_hidden_state [B, tokens, width], float32
     */
    public Tensor encode(long[][] ids, long[][] mask) {
        Tensor states = model.encode(ids, mask);
        states.requireShape("last_hidden_state of " + pack.id(), ids.length, tokens(), width());
        return states;
    }

    @Override
    public void close() {
        try {
            model.close();
        } finally {
            tokenizer.close();
        }
    }
}
