package io.campanile.textencoder.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.campanile.platform.StorageClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Storage that does not answer is a retriable failure of the whole group, never a failed job or an encoder run. */
class StorageDownTest {

    @Test
    void anUnreachableCacheIsRetriable() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        EmbeddingCache cache = new EmbeddingCache(new StorageClient("http://localhost:" + port), 16);
        TextEncoderMetrics metrics = new TextEncoderMetrics(new SimpleMeterRegistry());
        EmbeddingBatcher batcher = new EmbeddingBatcher(
                cache,
                id -> {
                    throw new AssertionError("no encoder may run while the cache cannot be read");
                },
                metrics,
                8);
        assertThrows(
                StorageClient.StorageUnavailableException.class,
                () -> batcher.embed(List.of(new EmbeddingBatcher.Prompt("p", "a dog"))));
        assertEquals(0, metrics.hits() + metrics.misses());
    }
}
