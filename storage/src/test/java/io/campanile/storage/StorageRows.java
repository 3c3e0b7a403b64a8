package io.campanile.storage;

import io.campanile.testkit.Infrastructure;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;

/** Storage rows read and written with plain JDBC beside the service under test, and small API helpers. */
final class StorageRows {
    /** Who may bind refs in each namespace the tests use (storage's NamespaceOwners). */
    private static final Map<String, String> NAMESPACE_OWNERS =
            Map.of("text-embeddings", "text-encoder", "job-files", "trainer");

    private StorageRows() {}

    /** Stores fresh random bytes through the API and returns their address. */
    static String putFresh(String label) {
        return put((label + " " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8));
    }

    static String put(byte[] body) {
        return ServiceCalls.as("stage1-worker")
                .contentType("application/octet-stream")
                .body(body)
                .when()
                .post("/internal/blobs")
                .then()
                .statusCode(200)
                .extract()
                .path("sha256");
    }

    /** Registers an output image of {@code job} with the given PNG and tensor blobs. */
    static void registerImage(UUID job, String role, String png, String tensor) {
        ServiceCalls.as("stage1-worker")
                .contentType("application/json")
                .body(Map.of(
                        "jobId",
                        job,
                        "role",
                        role,
                        "ordinal",
                        0,
                        "png",
                        Map.of("sha256", png),
                        "tensor",
                        Map.of("sha256", tensor),
                        "shape",
                        new int[] {3, 8, 8}))
                .when()
                .post("/internal/images")
                .then()
                .statusCode(200);
    }

    static void bindRef(String namespace, String key, String sha256) {
        ServiceCalls.as(NAMESPACE_OWNERS.get(namespace))
                .contentType("application/json")
                .body(Map.of("sha256", sha256))
                .when()
                .put("/internal/refs/" + namespace + "/" + key)
                .then()
                .statusCode(200);
    }

    static boolean blobExists(String sha256) throws SQLException {
        return count("select count(*) from storage.blobs where sha256 = ?", sha256) == 1;
    }

    /** Makes the blob look last stored {@code hours} ago. */
    static void age(String sha256, int hours) throws SQLException {
        update(
                "update storage.blobs set last_put_at = now() - make_interval(hours => " + hours + ") where sha256 = ?",
                sha256);
    }

    static long count(String sql, Object param) throws SQLException {
        try (Connection c = Infrastructure.postgres().connect();
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setObject(1, param);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static void update(String sql, Object... params) throws SQLException {
        try (Connection c = Infrastructure.postgres().connect();
                PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            s.executeUpdate();
        }
    }
}
