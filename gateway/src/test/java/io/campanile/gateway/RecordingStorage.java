package io.campanile.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Just enough of storage's internal API for the gateway's retention tests: blobs are stored by address, job
 * registrations and deletions are recorded ("METHOD path body"), and it can be taken down (every call a 503). The
 * test controls it over HTTP ({@code /fake/calls}, {@code /fake/down}, {@code /fake/up}): the profile that starts it
 * and the test that reads it run in different class loaders, and share only the JVM's system properties.
 */
final class RecordingStorage {
    private static final String URL_PROPERTY = "campanile.test.fake-storage-url";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final List<String> calls = new CopyOnWriteArrayList<>();
    private volatile boolean down;

    private RecordingStorage() {}

    /** The base URL of the fake of this JVM, started on first use. */
    static synchronized String url() {
        String url = System.getProperty(URL_PROPERTY);
        if (url == null) {
            try {
                HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
                server.createContext("/", new RecordingStorage()::answer);
                server.start();
                url = "http://127.0.0.1:" + server.getAddress().getPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            System.setProperty(URL_PROPERTY, url);
        }
        return url;
    }

    /** The gateway under test talks to the fake; the retention sweep runs only when a test calls it. */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("campanile.storage.url", url(), "campanile.gateway.retention.interval", "PT1H");
        }
    }

    /** The calls storage received so far, "METHOD path body". */
    static List<String> calls() {
        return List.of(control("GET", "/fake/calls").split("\n"));
    }

    /** Takes storage down (every call a 503) or brings it back. */
    static void down(boolean down) {
        control("POST", down ? "/fake/down" : "/fake/up");
    }

    private static String control(String method, String path) {
        try {
            HttpRequest req = HttpRequest.newBuilder(URI.create(url() + path))
                    .method(method, HttpRequest.BodyPublishers.noBody())
                    .build();
            return HTTP.send(req, HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void answer(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        byte[] in = exchange.getRequestBody().readAllBytes();
        byte[] body = new byte[0];
        int status;
        if (path.startsWith("/fake/")) {
            status = 200;
            down = path.equals("/fake/down") || (down && !path.equals("/fake/up"));
            body = path.equals("/fake/calls") ? String.join("\n", calls).getBytes(StandardCharsets.UTF_8) : body;
        } else if (down) {
            status = 503;
        } else if (method.equals("POST") && path.equals("/internal/blobs")) {
            status = 200;
            body = ("{\"sha256\":\"" + sha256(in) + "\",\"size\":" + in.length + ",\"mediaType\":\"image/png\","
                            + "\"createdAt\":\"" + Instant.now() + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            calls.add(method + " " + path);
        } else if (path.startsWith("/internal/jobs/")) {
            status = 204;
            calls.add(method + " " + path + " " + new String(in, StandardCharsets.UTF_8));
        } else {
            status = 404;
        }
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
