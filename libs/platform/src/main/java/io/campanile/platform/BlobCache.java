package io.campanile.platform;

import io.campanile.contracts.BlobRef;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Blobs kept in memory by their content address, least recently used first out, within a bound in bytes. A blob's
 * address is the SHA-256 of its bytes, so a kept copy never goes stale. Callers must not change the arrays they get.
 * Thread-safe.
 */
public final class BlobCache {
    private final LinkedHashMap<BlobRef, byte[]> blobs = new LinkedHashMap<>(16, 0.75f, true);
    private long capacity;
    private long bytes;

    /** @param capacity bytes kept at most (0: none) */
    public BlobCache(long capacity) {
        capacity(capacity);
    }

    /** Changes the bound, dropping the least recently used blobs over it. */
    public synchronized void capacity(long capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity " + capacity + " < 0");
        }
        this.capacity = capacity;
        trim();
    }

    /** The blob's bytes, or null when they are not kept. */
    public synchronized byte[] get(BlobRef ref) {
        return blobs.get(ref);
    }

    /** Keeps the blob, unless it alone is larger than the bound. */
    public synchronized void put(BlobRef ref, byte[] blob) {
        if (blob.length > capacity) {
            return;
        }
        byte[] old = blobs.put(ref, blob);
        bytes += blob.length - (old == null ? 0 : old.length);
        trim();
    }

    /** The bound, in bytes. */
    public synchronized long capacity() {
        return capacity;
    }

    /** Bytes kept now. */
    public synchronized long bytes() {
        return bytes;
    }

    private void trim() {
        Iterator<Map.Entry<BlobRef, byte[]>> it = blobs.entrySet().iterator();
        while (bytes > capacity && it.hasNext()) {
            bytes -= it.next().getValue().length;
            it.remove();
        }
    }
}
