package io.campanile.gateway;

import io.campanile.testkit.Infrastructure;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Job rows read and written with plain JDBC on the shared PostgreSQL, beside the gateway under test. */
final class JobRows {
    private JobRows() {}

    /** Inserts a forward job of the default tenant in {@code status} and returns its id. */
    static UUID insert(String status) throws SQLException {
        return insert(status, "default");
    }

    /** Inserts a forward job of {@code tenant} in {@code status} and returns its id. */
    static UUID insert(String status, String tenant) throws SQLException {
        UUID id = UUID.randomUUID();
        try (Connection c = Infrastructure.postgres().connect();
                PreparedStatement s = c.prepareStatement("insert into gateway.jobs"
                        + " (id, tenant, type, model, status, seed, params, inputs, created_at, updated_at)"
                        + " values (?, ?, 'forward', 'IF-I-XL-v1.0', ?, 1, '{}', '{}', now(), now())")) {
            s.setObject(1, id);
            s.setString(2, tenant);
            s.setString(3, status);
            s.executeUpdate();
        }
        return id;
    }

    /** Every column of the job's row, then its outputs in order, as text: equal snapshots mean nothing changed. */
    static String snapshot(UUID id) throws SQLException {
        try (Connection c = Infrastructure.postgres().connect()) {
            return rows(c, "select * from gateway.jobs where id = ?", id) + " outputs "
                    + rows(c, "select * from gateway.job_outputs where job_id = ? order by ordinal, role", id);
        }
    }

    /** One column of the job's row. */
    static String column(UUID id, String column) throws SQLException {
        try (Connection c = Infrastructure.postgres().connect()) {
            return rows(c, "select " + column + " from gateway.jobs where id = ?", id)
                    .get(0)
                    .get(column);
        }
    }

    /** One timestamp column of the job's row, or null. */
    static Instant instant(UUID id, String column) throws SQLException {
        try (Connection c = Infrastructure.postgres().connect();
                PreparedStatement s = c.prepareStatement("select " + column + " from gateway.jobs where id = ?")) {
            s.setObject(1, id);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                OffsetDateTime t = rs.getObject(1, OffsetDateTime.class);
                return t == null ? null : t.toInstant();
            }
        }
    }

    /** Changes the job's row behind the gateway's back, e.g. {@code "lease_expires_at = now() - interval '1 day'"}. */
    static void update(UUID id, String assignments) throws SQLException {
        try (Connection c = Infrastructure.postgres().connect();
                PreparedStatement s = c.prepareStatement("update gateway.jobs set " + assignments + " where id = ?")) {
            s.setObject(1, id);
            s.executeUpdate();
        }
    }

    /** How many outputs the job has. */
    static int outputs(UUID id) throws SQLException {
        try (Connection c = Infrastructure.postgres().connect()) {
            return rows(c, "select image_id from gateway.job_outputs where job_id = ?", id)
                    .size();
        }
    }

    /** How many times the event id was recorded as processed (0 or 1). */
    static int processedEvents(UUID eventId) throws SQLException {
        try (Connection c = Infrastructure.postgres().connect();
                PreparedStatement s =
                        c.prepareStatement("select count(*) from gateway.processed_events where event_id = ?")) {
            s.setObject(1, eventId);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static List<Map<String, String>> rows(Connection c, String sql, UUID id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setObject(1, id);
            List<Map<String, String>> out = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                ResultSetMetaData md = rs.getMetaData();
                while (rs.next()) {
                    Map<String, String> row = new LinkedHashMap<>();
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        row.put(md.getColumnName(i), rs.getString(i));
                    }
                    out.add(row);
                }
            }
            return out;
        }
    }
}
