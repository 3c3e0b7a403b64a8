package io.campanile.stage2.engine;

import io.campanile.contracts.BlobRef;
import io.campanile.diffusion.image.Npy;
import io.campanile.diffusion.tensor.Tensor;
import io.campanile.packs.PackManifest;
import io.campanile.platform.JobContext;
import io.campanile.platform.JobFailedException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The T5 encoder states [tokens, width] of a job's prompts, from the embeddings the text encoder stored (a stage-I
 * job handed on keeps its embeddings). Each distinct prompt is read from storage once.
 */
public final class Conditioning implements ConditioningSource {
    private final JobContext job;
    private final PackManifest manifest;
    private final Map<String, float[]> cache = new HashMap<>();

    public Conditioning(JobContext job, PackManifest manifest) {
        this.job = job;
        this.manifest = manifest;
    }

    @Override
    public Tensor rows(List<String> prompts) {
        int tokens = manifest.embeddingTokens();
        int width = manifest.embeddingWidth();
        int rowSize = tokens * width;
        float[] data = new float[prompts.size() * rowSize];
        for (int i = 0; i < prompts.size(); i++) {
            float[] row = cache.computeIfAbsent(prompts.get(i), p -> embedding(p, rowSize));
            System.arraycopy(row, 0, data, i * rowSize, rowSize);
        }
        return new Tensor(new int[] {prompts.size(), tokens, width}, data);
    }

    private float[] embedding(String prompt, int rowSize) {
        Map<String, BlobRef> embeddings = job.request().embeddings();
        BlobRef ref = embeddings == null ? null : embeddings.get(prompt);
        if (ref == null) {
            throw new JobFailedException("no text embedding for prompt '" + prompt + "' in the job (did it pass"
                    + " through the text encoder?)");
        }
        Tensor states = Npy.decode(job.blob(ref));
        if (states.size() != rowSize) {
            throw new JobFailedException("the embedding of '" + prompt + "' is " + states.shapeString()
                    + ", model " + manifest.id() + " takes " + manifest.embeddingShape());
        }
        return states.data();
    }
}
