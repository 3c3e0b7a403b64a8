package io.campanile.engine.packs;

import io.campanile.diffusion.tensor.Tensor;
import java.util.List;

/** Where the conditioning rows of prompts come from (the job's embeddings, class labels, or a test's own table). */
public interface ConditioningSource {

    /** Whether the model takes conditioning at all; without it guidance has nothing to mix. */
    default boolean conditional() {
        return true;
    }

    /** One conditioning row per prompt: [n, tokens, width] (T5) or [n, K] (class); null when not conditional. */
    Tensor rows(List<String> prompts);
}
