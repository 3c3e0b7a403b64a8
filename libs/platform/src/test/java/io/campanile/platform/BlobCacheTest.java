package io.campanile.platform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.campanile.contracts.BlobRef;
import org.junit.jupiter.api.Test;

class BlobCacheTest {
    private static byte[] blob(int size, int fill) {
        byte[] b = new byte[size];
        java.util.Arrays.fill(b, (byte) fill);
        return b;
    }

    @Test
    void keepsBlobsWithinItsBoundDroppingTheLeastRecentlyUsed() {
        BlobCache cache = new BlobCache(100);
        byte[] a = blob(40, 1);
        byte[] b = blob(40, 2);
        byte[] c = blob(40, 3);
        cache.put(BlobRef.of(a), a);
        cache.put(BlobRef.of(b), b);
        assertArrayEquals(a, cache.get(BlobRef.of(a))); // a is now the most recently used
        cache.put(BlobRef.of(c), c); // 120 bytes: b goes
        assertNull(cache.get(BlobRef.of(b)));
        assertArrayEquals(a, cache.get(BlobRef.of(a)));
        assertArrayEquals(c, cache.get(BlobRef.of(c)));
        assertEquals(80, cache.bytes());
    }

    @Test
    void aBlobLargerThanTheBoundIsNotKeptAndTheBoundCanShrink() {
        BlobCache cache = new BlobCache(100);
        byte[] big = blob(101, 4);
        cache.put(BlobRef.of(big), big);
        assertNull(cache.get(BlobRef.of(big)));
        assertEquals(0, cache.bytes());
        byte[] a = blob(60, 5);
        byte[] b = blob(30, 6);
        cache.put(BlobRef.of(a), a);
        cache.put(BlobRef.of(b), b);
        cache.capacity(50); // the older a goes
        assertNull(cache.get(BlobRef.of(a)));
        assertArrayEquals(b, cache.get(BlobRef.of(b)));
        cache.capacity(0);
        assertNull(cache.get(BlobRef.of(b)));
        assertEquals(0, cache.bytes());
        assertThrows(IllegalArgumentException.class, () -> cache.capacity(-1));
    }

    @Test
    void theSameBlobPutTwiceCountsOnce() {
        BlobCache cache = new BlobCache(100);
        byte[] a = blob(40, 7);
        cache.put(BlobRef.of(a), a);
        cache.put(BlobRef.of(a), a.clone());
        assertEquals(40, cache.bytes());
    }
}
