package io.campanile.platform;

import io.campanile.contracts.BlobRef;
import java.util.List;
import java.util.Map;

/** A job's input blobs (uploaded images, embeddings, hand-off tensors), read from storage riding out its outages. */
public final class JobInputs {
    private final Map<String, BlobRef> inputs;
    private final StorageClient storage;
    private final Outages outages;

    JobInputs(Map<String, BlobRef> inputs, StorageClient storage, Outages outages) {
        this.inputs = inputs == null ? Map.of() : inputs;
        this.storage = storage;
        this.outages = outages;
    }

    /** The job's inputs by field (or, for a stage-II hand-off, by the stage-I result's role), in order. */
    public Map<String, BlobRef> refs() {
        return inputs;
    }

    /** The bytes of an input image field. */
    public byte[] bytes(String field) {
        BlobRef ref = inputs.get(field);
        if (ref == null) {
            throw new JobFailedException("input '" + field + "' is missing from the job");
        }
        try {
            return outages.retry("read input '" + field + "'", () -> storage.getBlob(ref));
        } catch (StorageClient.NotFoundException e) {
            throw new JobFailedException("input '" + field + "' is no longer in storage");
        }
    }

    /** The bytes of a blob the job refers to (an embedding, a checkpoint). */
    public byte[] blob(BlobRef ref) {
        try {
            return outages.retry("read blob " + ref.sha256(), () -> storage.getBlob(ref));
        } catch (StorageClient.NotFoundException e) {
            throw new JobFailedException("blob " + ref.sha256() + " of the job is no longer in storage");
        }
    }

    /** The bytes of several blobs of the job, read concurrently, in order. */
    public List<byte[]> blobs(List<BlobRef> refs) {
        try {
            return outages.retry("read the job's blobs", () -> storage.getBlobs(refs));
        } catch (StorageClient.NotFoundException e) {
            throw new JobFailedException("a blob of the job is no longer in storage: " + e.getMessage());
        }
    }
}
