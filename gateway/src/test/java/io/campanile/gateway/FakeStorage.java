package io.campanile.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.campanile.contracts.BlobRef;
import io.campanile.contracts.Json;
import io.campanile.contracts.RefEntry;
import io.campanile.contracts.StoredImage;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A stand-in for the storage service's read API, so that images and job files can be asked for without the whole
 * stack. It knows every id: image X belongs to job X, and each job has one file, {@code losses.csv}. Whether the
 * gateway shows them is then only a matter of the job's tenant.
 */
public class FakeStorage implements QuarkusTestResourceLifecycleManager {
    static final byte[] BLOB = "not really a png".getBytes(StandardCharsets.US_ASCII);
    static final String SHA = "ab".repeat(32);

    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/internal/images/", ex -> {
            UUID id = UUID.fromString(last(ex));
            StoredImage image = StoredImage.builder()
                    .id(id)
                    .jobId(id)
                    .role("sample")
                    .png(new BlobRef(SHA))
                    .shape(List.of(3, 8, 8))
                    .dtype("float32")
                    .valueRange("[-1,1]")
                    .createdAt(Instant.now())
                    .build();
            answer(ex, "application/json", Json.mapper().writeValueAsBytes(image));
        });
        server.createContext("/internal/blobs/", ex -> answer(ex, "application/octet-stream", BLOB));
        // a submission registers its job (and holds its inputs); the stored-bytes quota asks for the tenant's usage
        server.createContext("/internal/jobs/", ex -> {
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        server.createContext(
                "/internal/usage/",
                ex -> answer(
                        ex,
                        "application/json",
                        ("{\"tenant\":\"" + last(ex) + "\",\"bytes\":0}").getBytes(StandardCharsets.UTF_8)));
        server.createContext("/internal/refs/job-files", ex -> {
            String prefix = URLDecoder.decode(
                    ex.getRequestURI().getRawQuery().substring("prefix=".length()), StandardCharsets.UTF_8);
            String job = prefix.substring(0, prefix.indexOf('.'));
            RefEntry file = new RefEntry(job + ".losses.csv", SHA, BLOB.length, "text/csv");
            answer(ex, "application/json", Json.mapper().writeValueAsBytes(List.of(file)));
        });
        server.start();
        return Map.of(
                "campanile.storage.url",
                "http://127.0.0.1:" + server.getAddress().getPort());
    }

    private static String last(HttpExchange ex) {
        String path = ex.getRequestURI().getPath();
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private static void answer(HttpExchange ex, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().add("Content-Type", type);
        ex.sendResponseHeaders(200, body.length);
        ex.getResponseBody().write(body);
        ex.close();
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
