package io.campanile.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * A real PostgreSQL server started from the zonky binaries on Maven Central (no Docker). As root, zonky runs
 * initdb and pg_ctl in a user namespace; as a normal user it runs them directly.
 *
 * <p>The server can be {@link #stop() stopped} and {@link #start() started} again on the same data folder and port
 * while its clients keep running: zonky's postmaster is an ordinary process, and a data folder that already holds a
 * cluster is started without initdb. The chaos suite uses this to take the database away from the services.
 */
public final class EmbeddedPostgres implements AutoCloseable {
    public static final String USER = "postgres";
    public static final String PASSWORD = "postgres";
    private final Path dataDir;
    private final boolean throwAway;
    private int port;
    private io.zonky.test.db.postgres.embedded.EmbeddedPostgres pg;

    private EmbeddedPostgres(Path dataDir, boolean throwAway, int port) {
        this.dataDir = dataDir;
        this.throwAway = throwAway;
        this.port = port;
    }

    /**
     * Starts a server.
     *
     * @param dataDir the data folder, kept across restarts; null for a throw-away one that {@link #close()} deletes
     * @param port the port, or 0 for any free port (then kept across restarts)
     */
    public static EmbeddedPostgres start(Path dataDir, int port) throws IOException {
        boolean throwAway = dataDir == null;
        // zonky cleans a data folder of its own choosing on close; ours is kept so that a restart finds the cluster.
        Path dir = throwAway ? Files.createTempDirectory("campanile-pg-").resolve("data") : dataDir;
        EmbeddedPostgres postgres = new EmbeddedPostgres(dir, throwAway, port);
        try {
            postgres.start();
        } catch (IOException | RuntimeException e) {
            postgres.close();
            throw e;
        }
        return postgres;
    }

    /** Starts the server again on the same data folder and port; a no-op while it runs. */
    public synchronized void start() throws IOException {
        if (pg != null) {
            return;
        }
        var builder = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                .setServerConfig("max_connections", "200")
                .setServerConfig("fsync", throwAway ? "off" : "on")
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false);
        if (port > 0) {
            builder.setPort(port);
        }
        pg = builder.start();
        port = pg.getPort();
    }

    /**
     * Stops the server (a fast shutdown: open sessions are ended and clients see their connections drop), keeping
     * its data for {@link #start()}.
     */
    public synchronized void stop() throws IOException {
        if (pg != null) {
            try {
                pg.close();
            } finally {
                pg = null;
            }
        }
    }

    public synchronized boolean isRunning() {
        return pg != null;
    }

    public synchronized int port() {
        return port;
    }

    /** JDBC URL of the default database with the given schema as the current one. */
    public String jdbcUrl(String schema) {
        return "jdbc:postgresql://localhost:" + port() + "/postgres?currentSchema=" + schema;
    }

    /** A plain connection to the default database, for tests that look at rows directly. */
    public Connection connect() throws SQLException {
        io.zonky.test.db.postgres.embedded.EmbeddedPostgres running;
        synchronized (this) {
            running = pg;
        }
        if (running == null) {
            throw new SQLException("PostgreSQL is stopped");
        }
        return running.getPostgresDatabase().getConnection();
    }

    /** Stops the server; deletes a throw-away data folder. */
    @Override
    public synchronized void close() throws IOException {
        try {
            stop();
        } finally {
            if (throwAway) {
                Trees.delete(dataDir.getParent());
            }
        }
    }
}
