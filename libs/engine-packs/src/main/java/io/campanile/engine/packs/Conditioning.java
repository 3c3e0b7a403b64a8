package io.campanile.engine.packs;

import io.campanile.contracts.BlobRef;
import io.campanile.diffusion.image.Npy;
import io.campanile.diffusion.tensor.Tensor;
import io.campanile.packs.PackManifest;
import io.campanile.platform.JobContext;
import io.campanile.platform.JobFailedException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The conditioning rows of a job's prompts, in the form the pack's UNet takes: T5 encoder states [tokens, width] from
 * the embeddings the text encoder stored, a one-hot class vector [K] (all zeros for "" = unconditional), or nothing.
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
    public boolean conditional() {
        return manifest.conditioning() != PackManifest.Conditioning.NONE;
    }

    @Override
    public Tensor rows(List<String> prompts) {
        if (!conditional()) {
            return null;
        }
        boolean t5 = manifest.conditioning() == PackManifest.Conditioning.T5;
        int rowSize = t5 ? manifest.embeddingTokens() * manifest.embeddingWidth() : manifest.embeddingWidth();
        if (t5) {
            prefetch(prompts, rowSize);
        }
        float[] data = new float[prompts.size() * rowSize];
        for (int i = 0; i < prompts.size(); i++) {
            System.arraycopy(row(prompts.get(i), t5, rowSize), 0, data, i * rowSize, rowSize);
        }
        return t5
                ? new Tensor(new int[] {prompts.size(), manifest.embeddingTokens(), manifest.embeddingWidth()}, data)
                : new Tensor(new int[] {prompts.size(), manifest.embeddingWidth()}, data);
    }

    /** Reads the embeddings of every prompt not read yet in one concurrent round of storage requests. */
    private void prefetch(List<String> prompts, int rowSize) {
        List<String> missing =
                prompts.stream().distinct().filter(p -> !cache.containsKey(p)).toList();
        if (missing.size() < 2) {
            return;
        }
        Map<String, BlobRef> embeddings = job.request().embeddings();
        List<BlobRef> refs = new ArrayList<>();
        for (String p : missing) {
            BlobRef ref = embeddings == null ? null : embeddings.get(p);
            if (ref == null) {
                return; // embedding() names the prompt in its failure
            }
            refs.add(ref);
        }
        long t0 = System.nanoTime();
        List<byte[]> blobs = job.inputs().blobs(refs);
        job.events().addTiming("embeddings", System.nanoTime() - t0);
        for (int i = 0; i < missing.size(); i++) {
            cache.put(missing.get(i), checked(missing.get(i), Npy.decode(blobs.get(i)), rowSize));
        }
    }

    private float[] checked(String prompt, Tensor states, int rowSize) {
        if (states.size() != rowSize) {
            throw new JobFailedException("the embedding of '" + prompt + "' is " + states.shapeString() + ", model "
                    + manifest.id() + " takes " + manifest.embeddingShape());
        }
        return states.data();
    }

    private float[] row(String prompt, boolean t5, int rowSize) {
        return cache.computeIfAbsent(prompt, p -> t5 ? embedding(p, rowSize) : oneHot(p, rowSize));
    }

    private float[] embedding(String prompt, int rowSize) {
        Map<String, BlobRef> embeddings = job.request().embeddings();
        BlobRef ref = embeddings == null ? null : embeddings.get(prompt);
        if (ref == null) {
            throw new JobFailedException("no text embedding for prompt '" + prompt + "' in the job (did it pass"
                    + " through the text encoder?)");
        }
        long t0 = System.nanoTime();
        Tensor states = Npy.decode(job.inputs().blob(ref));
        job.events().addTiming("embeddings", System.nanoTime() - t0);
        return checked(prompt, states, rowSize);
    }

    private float[] oneHot(String label, int k) {
        float[] v = new float[k];
        if (label.isEmpty()) {
            return v;
        }
        List<String> labels = manifest.classLabels();
        int index = labels != null ? labels.indexOf(label) : parseIndex(label, k);
        if (index < 0) {
            throw new JobFailedException("'" + label + "' is not a class of model " + manifest.id());
        }
        v[index] = 1f;
        return v;
    }

    private static int parseIndex(String label, int k) {
        try {
            int i = Integer.parseInt(label);
            return i >= 0 && i < k ? i : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
