package io.campanile.platform;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Just enough of the storage service's internal API for worker tests: durable start counts per consumer and job,
 * kept like storage keeps them (a counter per key), and 503 for everything else.
 */
final class FakeStorage implements AutoCloseable {
    private final HttpServer server;
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();

    FakeStorage() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            byte[] body;
            int status;
            if (path.startsWith("/internal/attempts/") && exchange.getRequestMethod().equals("POST")) {
                int n = attempts.computeIfAbsent(path, k -> new AtomicInteger()).incrementAndGet();
                body = ("{\"attempt\":" + n + "}").getBytes(StandardCharsets.UTF_8);
                status = 200;
            } else {
                body = new byte[0];
                status = 503;
            }
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
