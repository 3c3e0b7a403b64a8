package io.campanile.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The job ownership calls of {@link StorageClient}, as storage's internal API receives them. */
class StorageClientJobsTest {
    private final List<String> received = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private StorageClient client;
    private volatile int status = 204;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.add(
                    exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " " + body);
            byte[] answer = exchange.getRequestURI().getPath().startsWith("/internal/usage/")
                    ? "{\"tenant\":\"acme\",\"bytes\":1234}".getBytes(StandardCharsets.UTF_8)
                    : new byte[0];
            int s = answer.length > 0 ? 200 : status;
            exchange.sendResponseHeaders(s, answer.length > 0 ? answer.length : -1);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        client = new StorageClient("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void registerDeleteAndUsageCallTheJobEndpoints() {
        UUID job = UUID.randomUUID();
        String sha = "a".repeat(64);
        client.registerJob(job, "acme", List.of(sha));
        client.deleteJob(job);
        assertEquals(1234, client.usage("acme"));
        assertEquals(
                List.of(
                        "POST /internal/jobs/" + job + " {\"tenant\":\"acme\",\"inputs\":[\"" + sha + "\"]}",
                        "DELETE /internal/jobs/" + job + " ",
                        "GET /internal/usage/acme "),
                received);
    }

    @Test
    void aFailingStorageIsUnavailable() {
        status = 503;
        assertThrows(StorageClient.StorageUnavailableException.class, () -> client.deleteJob(UUID.randomUUID()));
    }
}
