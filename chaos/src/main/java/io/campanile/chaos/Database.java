package io.campanile.chaos;

import io.campanile.testkit.EmbeddedPostgres;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The rows the invariants are checked on, read straight from PostgreSQL (schema gateway: jobs, job_outputs; schema
 * storage: images) rather than through the services under test. Every call opens its own connection, since the
 * database itself may have been stopped and started since the last one.
 */
final class Database {
    static final Set<String> TERMINAL = Set.of("SUCCEEDED", "FAILED", "CANCELLED");
    private final EmbeddedPostgres postgres;

    Database(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** A job's row as the gateway keeps it. */
    record JobRow(String id, String status, String error, Instant createdAt, Instant finishedAt) {
        boolean terminal() {
            return TERMINAL.contains(status);
        }
    }

    /** An image, as storage or the gateway's job_outputs lists it. */
    record Image(String id, String role) {}

    Map<String, JobRow> jobs(Collection<String> ids) throws SQLException {
        Map<String, JobRow> rows = new HashMap<>();
        query(
                "select id, status, error, created_at, finished_at from gateway.jobs where id = any(?)",
                ids,
                rs -> rows.put(
                        rs.getString(1),
                        new JobRow(
                                rs.getString(1),
                                rs.getString(2),
                                rs.getString(3),
                                instant(rs.getTimestamp(4)),
                                instant(rs.getTimestamp(5)))));
        return rows;
    }

    /** Job ids by idempotency key, for the submissions the gateway did not confirm. */
    Map<String, String> idsByKey(Collection<String> keys) throws SQLException {
        Map<String, String> ids = new HashMap<>();
        try (Connection c = postgres.connect();
                PreparedStatement s = c.prepareStatement(
                        "select idempotency_key, id from gateway.jobs where idempotency_key = any(?)")) {
            s.setArray(1, c.createArrayOf("text", keys.toArray()));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    ids.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return ids;
    }

    /** The images storage holds for each job. */
    Map<String, List<Image>> storedImages(Collection<String> ids) throws SQLException {
        return images("select job_id, id, role from storage.images where job_id = any(?)", ids);
    }

    /** The outputs the gateway lists for each job. */
    Map<String, List<Image>> jobOutputs(Collection<String> ids) throws SQLException {
        return images("select job_id, image_id, role from gateway.job_outputs where job_id = any(?)", ids);
    }

    private Map<String, List<Image>> images(String sql, Collection<String> ids) throws SQLException {
        Map<String, List<Image>> images = new HashMap<>();
        query(
                sql,
                ids,
                rs -> images.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                        .add(new Image(rs.getString(2), rs.getString(3))));
        return images;
    }

    private interface RowSink {
        void accept(ResultSet rs) throws SQLException;
    }

    private void query(String sql, Collection<String> ids, RowSink sink) throws SQLException {
        try (Connection c = postgres.connect();
                PreparedStatement s = c.prepareStatement(sql)) {
            Array array =
                    c.createArrayOf("uuid", ids.stream().map(UUID::fromString).toArray());
            s.setArray(1, array);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    sink.accept(rs);
                }
            }
        }
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
