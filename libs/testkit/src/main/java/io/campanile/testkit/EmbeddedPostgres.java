package io.campanile.testkit;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * A real PostgreSQL server started from the zonky binaries on Maven Central (no Docker). As root, zonky runs
 * initdb and pg_ctl in a user namespace; as a normal user it runs them directly.
 */
public final class EmbeddedPostgres implements AutoCloseable {
    public static final String USER = "postgres";
    public static final String PASSWORD = "postgres";
    private final io.zonky.test.db.postgres.embedded.EmbeddedPostgres pg;

    private EmbeddedPostgres(io.zonky.test.db.postgres.embedded.EmbeddedPostgres pg) {
        this.pg = pg;
    }

    /**
     * Starts a server.
     *
     * @param dataDir the data folder, kept across restarts; null for a throw-away one
     * @param port the port, or 0 for any free port
     */
    public static EmbeddedPostgres start(Path dataDir, int port) throws IOException {
        var builder = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                .setServerConfig("max_connections", "200")
                .setServerConfig("fsync", dataDir == null ? "off" : "on");
        if (dataDir != null) {
            builder.setDataDirectory(dataDir).setCleanDataDirectory(false);
        }
        if (port > 0) {
            builder.setPort(port);
        }
        return new EmbeddedPostgres(builder.start());
    }

    public int port() {
        return pg.getPort();
    }

    /** JDBC URL of the default database with the given schema as the current one. */
    public String jdbcUrl(String schema) {
        return "jdbc:postgresql://localhost:" + port() + "/postgres?currentSchema=" + schema;
    }

    /** A plain connection to the default database, for tests that look at rows directly. */
    public Connection connect() throws SQLException {
        return pg.getPostgresDatabase().getConnection();
    }

    @Override
    public void close() throws IOException {
        pg.close();
    }
}
