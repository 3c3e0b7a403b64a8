package io.campanile.gateway.dispatch;

import io.campanile.testkit.Infrastructure;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Dispatch state read and written with plain JDBC on the shared PostgreSQL, beside the gateway under test. */
final class DispatchRows {
    private DispatchRows() {}

    /**
     * Ends every job still queued or running (other test classes leave some, as no worker runs here) and empties the
     * dispatch queue, behind the gateway's back: each test starts with empty windows.
     */
    static void endEverything() throws SQLException {
        try (Connection c = Infrastructure.postgres().connect()) {
            c.createStatement().executeUpdate("delete from gateway.dispatch_queue");
            c.createStatement()
                    .executeUpdate("update gateway.jobs set status = 'CANCELLED', finished_at = now()"
                            + " where status in ('QUEUED', 'RUNNING')");
        }
    }

    /** The tenant's jobs dispatched and not ended, in dispatch order. */
    static List<UUID> inFlight(String tenant) throws SQLException {
        return ids(
                "select id from gateway.jobs where tenant = ? and dispatched_at is not null"
                        + " and status in ('QUEUED', 'RUNNING') order by dispatched_at, id",
                tenant);
    }

    /** The tenant's jobs ever dispatched, in dispatch order. */
    static List<UUID> dispatched(String tenant) throws SQLException {
        return ids(
                "select id from gateway.jobs where tenant = ? and dispatched_at is not null"
                        + " order by dispatched_at, id",
                tenant);
    }

    /** Every job of the lane dispatched and not ended, in dispatch order (what a worker would take next first). */
    static List<UUID> laneInFlight(String lane) throws SQLException {
        return ids(
                "select id from gateway.jobs where dispatch_lane = ? and dispatched_at is not null"
                        + " and status in ('QUEUED', 'RUNNING') order by dispatched_at, id",
                lane);
    }

    /** Whether the job has a row in the dispatch queue. */
    static boolean waiting(UUID job) throws SQLException {
        return !ids("select job_id from gateway.dispatch_queue where job_id = ?::uuid", job.toString())
                .isEmpty();
    }

    /** Whether the job was dispatched. */
    static boolean isDispatched(UUID job) throws SQLException {
        return !ids("select id from gateway.jobs where id = ?::uuid and dispatched_at is not null", job.toString())
                .isEmpty();
    }

    /**
     * Releases every waiting job of the tenant at once, behind the gateway's back, as the outbox did before fair-share
     * dispatch: the jobs count as dispatched when they were submitted.
     */
    static void releaseAll(String tenant) throws SQLException {
        try (Connection c = Infrastructure.postgres().connect();
                PreparedStatement s = c.prepareStatement("update gateway.jobs j set dispatched_at = q.created_at"
                        + " from gateway.dispatch_queue q"
                        + " where q.job_id = j.id and q.tenant = ?");
                PreparedStatement d = c.prepareStatement("delete from gateway.dispatch_queue where tenant = ?")) {
            s.setString(1, tenant);
            s.executeUpdate();
            d.setString(1, tenant);
            d.executeUpdate();
        }
    }

    /** Marks the jobs SUCCEEDED behind the gateway's back (no wake-up: the dispatcher learns it on its own). */
    static void succeedQuietly(List<UUID> jobs) throws SQLException {
        try (Connection c = Infrastructure.postgres().connect();
                PreparedStatement s = c.prepareStatement(
                        "update gateway.jobs set status = 'SUCCEEDED'," + " finished_at = now() where id = ?")) {
            for (UUID job : jobs) {
                s.setObject(1, job);
                s.executeUpdate();
            }
        }
    }

    private static List<UUID> ids(String sql, String arg) throws SQLException {
        try (Connection c = Infrastructure.postgres().connect();
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, arg);
            List<UUID> out = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getObject(1, UUID.class));
                }
            }
            return out;
        }
    }
}
