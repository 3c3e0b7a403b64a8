package io.campanile.platform;

import io.campanile.contracts.BlobRef;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A job's input blobs (uploaded images, embeddings, hand-off tensors), read from storage riding out its outages. Blobs
 * the job is known to need (its prompt embeddings) can be read ahead, while the worker records the job's start.
 */
public final class JobInputs {
    private final Map<String, BlobRef> inputs;
    private final StorageClient storage;
    private final Outages outages;
    private final Map<BlobRef, CompletableFuture<byte[]>> prefetched = new ConcurrentHashMap<>();

    /** The default bound of {@link #KEPT}: 64 MiB, about 50 T5-XXL prompt embeddings. */
    public static final long DEFAULT_KEPT_BYTES = 64L << 20;

    /**
     * The blobs read ahead (prompt embeddings), kept for the process's later jobs by their content address: a kept
     * copy is never stale, whichever storage or worker it came from.
     */
    private static final BlobCache KEPT = new BlobCache(DEFAULT_KEPT_BYTES);

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

    /**
     * Starts reading the blobs in the background; a later read of one takes the bytes read ahead, or reads it again
     * (riding out storage's outages) when the read ahead failed. These are blobs that jobs read again and again (the
     * prompts' embeddings): the worker keeps them in memory ({@link #keep}), so a prompt used before is not read
     * from storage again. Callers must not change the arrays they get for them.
     */
    void prefetch(Collection<BlobRef> refs) {
        for (BlobRef ref : refs) {
            prefetched.computeIfAbsent(ref, r -> {
                byte[] kept = KEPT.get(r);
                return kept != null
                        ? CompletableFuture.completedFuture(kept)
                        : storage.inBackground(() -> {
                            byte[] blob = storage.getBlob(r);
                            if (BlobRef.of(blob).equals(r)) { // only bytes that are what their address names are kept
                                KEPT.put(r, blob);
                            }
                            return blob;
                        });
            });
        }
    }

    /** Forgets every kept blob (tests). */
    static void forgetKept() {
        long capacity = KEPT.capacity();
        KEPT.capacity(0);
        KEPT.capacity(capacity);
    }

    /** Bounds the memory this process keeps read-ahead blobs in, in bytes (0: none; campanile.worker.embedding-cache-mb). */
    public static void keep(long bytes) {
        KEPT.capacity(bytes);
    }

    /** The bytes read ahead for the blob, or null when none were (or the read failed). */
    private byte[] takePrefetched(BlobRef ref) {
        CompletableFuture<byte[]> f = prefetched.remove(ref);
        if (f == null) {
            return null;
        }
        try {
            return f.join();
        } catch (CompletionException | CancellationException e) {
            return null; // read again below, with the outage handling
        }
    }

    /** The bytes of a blob the job refers to (an embedding, a checkpoint). */
    public byte[] blob(BlobRef ref) {
        byte[] ahead = takePrefetched(ref);
        if (ahead != null) {
            return ahead;
        }
        try {
            return outages.retry("read blob " + ref.sha256(), () -> storage.getBlob(ref));
        } catch (StorageClient.NotFoundException e) {
            throw new JobFailedException("blob " + ref.sha256() + " of the job is no longer in storage");
        }
    }

    /** The bytes of several blobs of the job, read concurrently, in order. */
    public List<byte[]> blobs(List<BlobRef> refs) {
        if (refs.stream().allMatch(prefetched::containsKey)) {
            List<byte[]> ahead = new ArrayList<>();
            for (BlobRef ref : refs) {
                ahead.add(blob(ref)); // each read ahead, or read again on its own when that failed
            }
            return ahead;
        }
        try {
            return outages.retry("read the job's blobs", () -> storage.getBlobs(refs));
        } catch (StorageClient.NotFoundException e) {
            throw new JobFailedException("a blob of the job is no longer in storage: " + e.getMessage());
        }
    }
}
