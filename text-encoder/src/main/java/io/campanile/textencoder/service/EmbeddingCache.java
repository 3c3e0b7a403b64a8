package io.campanile.textencoder.service;

import io.campanile.contracts.BlobRef;
import io.campanile.diffusion.image.Npy;
import io.campanile.diffusion.tensor.Tensor;
import io.campanile.platform.StorageClient;
import io.campanile.text.T5Tokenizer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Content-addressed embeddings: the key of a prompt is sha256(encoder pack id + "\n" + normalised prompt), so a
 * prompt is encoded once per encoder pack however it is capitalised or padded with white space, by any replica. The
 * embedding is an NPY float32 [tokens, width] blob in storage, found again through a storage ref
 * ({@value #NAMESPACE}/key); a bounded in-memory LRU of addresses sits in front. Thread-safe. Only the text encoder may
 * bind keys in that namespace (storage's {@code NamespaceOwners}), so no other service can bind a prompt's predictable
 * key to a forged embedding before the prompt's first use.
 */
public final class EmbeddingCache {
    /** Storage ref namespace of the embeddings. */
    public static final String NAMESPACE = "text-embeddings";

    private static final String NPY = "application/x-npy";

    private final StorageClient storage;
    private final Map<String, BlobRef> lru;

    /** @param entries addresses kept in memory (0: none, every lookup asks storage) */
    public EmbeddingCache(StorageClient storage, int entries) {
        this.storage = storage;
        this.lru = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, BlobRef> eldest) {
                return size() > entries;
            }
        };
    }

    /** The cache key of a prompt encoded by a pack. */
    public static String key(String encoderPackId, String prompt) {
        byte[] text = (encoderPackId + "\n" + T5Tokenizer.normalize(prompt)).getBytes(StandardCharsets.UTF_8);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The stored embedding of a key: from memory, else from storage (then remembered). */
    public Optional<BlobRef> find(String key) {
        synchronized (lru) {
            BlobRef ref = lru.get(key);
            if (ref != null) {
                return Optional.of(ref);
            }
        }
        Optional<BlobRef> stored = storage.getRef(NAMESPACE, key);
        stored.ifPresent(ref -> remember(key, ref));
        return stored;
    }

    /**
     * Stores an embedding [tokens, width] and returns its address, without binding a key to it yet ({@link #bind}):
     * the text encoder forwards the job as soon as its embeddings are stored, and binds their keys after.
     */
    public BlobRef store(Tensor embedding) {
        return storage.putBlob(Npy.encode(embedding), NPY);
    }

    /**
     * Binds a prompt's key to its stored embedding (idempotent) and remembers it; returns the address bound, which is
     * another replica's when that replica bound the key first (its encoder's output differing in the last bit). A job
     * already forwarded with this replica's address still finds it: storage keeps a blob a grace period (an hour by
     * default) after it was stored, and a job reads its embeddings when it starts.
     */
    public BlobRef bind(String key, BlobRef ref) {
        try {
            storage.putRef(NAMESPACE, key, ref);
        } catch (IllegalArgumentException e) {
            return storage.getRef(NAMESPACE, key)
                    .map(first -> remember(key, first))
                    .orElseThrow(() -> e);
        }
        return remember(key, ref);
    }

    private BlobRef remember(String key, BlobRef ref) {
        synchronized (lru) {
            lru.put(key, ref);
        }
        return ref;
    }
}
