package io.campanile.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.campanile.contracts.BlobRef;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The storage client sends the service's token on every call, and says what is wrong when storage refuses it. */
class StorageClientTokenTest {
    private static final String TOKEN = "trainer.bwyAVmTvRD25XaRengQhZwhEo1l5l75QVEpbtaQzZ-g";
    private static final BlobRef BLOB = new BlobRef("a".repeat(64));

    private final List<String> seen = new CopyOnWriteArrayList<>();
    private volatile int status = 200;
    private HttpServer server;

    @BeforeEach
    void serve() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            seen.add(
                    exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " " + auth);
            byte[] body = answer(exchange.getRequestURI().getPath()).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    private static String answer(String path) {
        if (path.startsWith("/internal/attempts/") && !path.endsWith("/finished")) {
            return "{\"attempt\":1,\"finished\":false}";
        }
        return path.equals("/internal/blobs") ? "{\"sha256\":\"" + BLOB.sha256() + "\",\"size\":1}" : "[]";
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Test
    void everyCallCarriesTheBearerToken() {
        StorageClient storage = new StorageClient(url(), TOKEN);
        UUID job = UUID.randomUUID();
        storage.putBlob(new byte[] {1}, "application/octet-stream");
        storage.getBlob(BLOB);
        storage.putRef("job-files", job + ".x", BLOB);
        storage.listRefs("job-files", job + ".");
        storage.recordAttempt("training-requests", job);
        storage.finishAttempt("training-requests", job, null);
        assertEquals(6, seen.size(), String.join("\n", seen));
        for (String call : seen) {
            assertTrue(call.endsWith(" Bearer " + TOKEN), call);
        }
    }

    @Test
    void aRefusedTokenNamesTheKeyToCheck() {
        status = 401;
        var e = assertThrows(IllegalArgumentException.class, () -> new StorageClient(url(), TOKEN).getBlob(BLOB));
        assertEquals(
                "read blob " + BLOB.sha256() + ": storage refused this service's token (401): campanile.service.token "
                        + "(CAMPANILE_SERVICE_TOKEN) is not derived from storage's campanile.storage.service-secret",
                e.getMessage());
        var none = assertThrows(IllegalArgumentException.class, () -> new StorageClient(url()).getBlob(BLOB));
        assertTrue(none.getMessage().endsWith("(401): none was sent"), none.getMessage());
    }
}
