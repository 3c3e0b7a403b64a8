package io.campanile.textencoder.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.campanile.contracts.BlobRef;
import io.campanile.onnx.OnnxOptions;
import io.campanile.platform.StorageClient;
import io.campanile.testpacks.TestPacks;
import io.campanile.textencoder.TextEncoderStackResource;
import io.campanile.textencoder.inference.EncoderPacks;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new prompt's embedding is stored before its job is forwarded, and its key is bound only after ({@link
 * EmbeddingBatcher#bind}), so the forward waits for no more than the embedding's storage; once bound, the next job
 * with the prompt is answered from memory. Runs the real test T5 encoder against a storage stand-in that records
 * the requests in order. A Quarkus test only so that it runs in the class loader of the module's other Quarkus tests:
 * the tokenizer's native library loads in one class loader per JVM.
 */
@QuarkusTest
@WithTestResource(TextEncoderStackResource.class)
class EmbeddingBindingTest {
    private final List<String> requests = new ArrayList<>();
    private final Map<String, String> refs = new HashMap<>();
    private HttpServer storage;

    @BeforeEach
    void start() throws IOException {
        storage = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        storage.createContext("/internal/blobs", x -> {
            byte[] body = x.getRequestBody().readAllBytes();
            record(x);
            String sha = BlobRef.of(body).sha256();
            respond(
                    x,
                    200,
                    "{\"sha256\":\"" + sha + "\",\"size\":" + body.length
                            + ",\"media_type\":\"application/x-npy\",\"created_at\":\"2026-12-03T00:00:00Z\"}");
        });
        storage.createContext("/internal/refs/", x -> {
            String key = x.getRequestURI()
                    .getPath()
                    .substring(x.getRequestURI().getPath().lastIndexOf('/') + 1);
            String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            record(x);
            if (x.getRequestMethod().equals("PUT")) {
                refs.put(key, body);
                respond(x, 200, body);
            } else if (refs.containsKey(key)) {
                respond(x, 200, refs.get(key));
            } else {
                respond(x, 404, "{\"title\":\"no ref\"}");
            }
        });
        storage.start();
    }

    @AfterEach
    void stop() {
        storage.stop(0);
    }

    private synchronized void record(HttpExchange x) {
        String path = x.getRequestURI().getPath();
        requests.add(x.getRequestMethod() + " " + (path.startsWith("/internal/refs/") ? "ref" : "blob"));
    }

    private static void respond(HttpExchange x, int status, String json) throws IOException {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", "application/json");
        x.sendResponseHeaders(status, b.length);
        x.getResponseBody().write(b);
        x.close();
    }

    @Test
    void aNewPromptIsStoredBeforeTheForwardAndBoundAfter(@TempDir Path packs) {
        TestPacks.installAll(packs);
        StorageClient client =
                new StorageClient("http://localhost:" + storage.getAddress().getPort());
        try (EncoderPacks encoders = new EncoderPacks(packs, OnnxOptions.defaults())) {
            EmbeddingBatcher batcher = new EmbeddingBatcher(
                    new EmbeddingCache(client, 16),
                    encoders::encoder,
                    new TextEncoderMetrics(new SimpleMeterRegistry()),
                    8);
            EmbeddingBatcher.Prompt prompt =
                    new EmbeddingBatcher.Prompt(TestPacks.T5_ENCODER, "a lithograph of waterfalls");

            EmbeddingBatcher.Result first = batcher.embed(List.of(prompt));
            BlobRef stored = first.embeddings().get(prompt.key());
            assertEquals(List.of("GET ref", "POST blob"), requests, "looked up, encoded and stored; not bound yet");
            assertEquals(Map.of(prompt.key(), stored), first.unbound());

            batcher.bind(first.unbound());
            assertEquals(List.of("GET ref", "POST blob", "PUT ref"), requests);
            assertEquals(stored.sha256(), refs.get(prompt.key()).replaceAll(".*\"([0-9a-f]{64})\".*", "$1"));

            EmbeddingBatcher.Result again = batcher.embed(List.of(prompt));
            assertEquals(stored, again.embeddings().get(prompt.key()));
            assertEquals(Map.of(), again.unbound(), "a bound prompt is not stored again");
            assertEquals(3, requests.size(), "the bound prompt is answered from memory");
        }
    }
}
