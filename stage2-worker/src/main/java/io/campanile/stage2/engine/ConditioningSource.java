package io.campanile.stage2.engine;

import io.campanile.diffusion.tensor.Tensor;
import java.util.List;

/** Where the T5 rows of prompts come from: the job's embeddings, or a test's own table. */
public interface ConditioningSource {

    /** One T5 row per prompt: [n, tokens, width]. */
    Tensor rows(List<String> prompts);
}
