package io.campanile.testkit;

import java.util.Map;

/**
 * One embedded PostgreSQL and one embedded Kafka per JVM, shared by every test class of a module (started on first
 * use, stopped when the JVM exits).
 */
public final class Infrastructure {
    private static EmbeddedPostgres postgres;
    private static EmbeddedKafka kafka;

    private Infrastructure() {}

    public static synchronized EmbeddedPostgres postgres() {
        if (postgres == null) {
            try {
                postgres = EmbeddedPostgres.start(null, 0);
            } catch (Exception e) {
                throw new IllegalStateException("cannot start embedded PostgreSQL", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(Infrastructure::stopPostgres));
        }
        return postgres;
    }

    public static synchronized EmbeddedKafka kafka() {
        if (kafka == null) {
            try {
                kafka = EmbeddedKafka.start(null, 0);
            } catch (Exception e) {
                throw new IllegalStateException("cannot start embedded Kafka", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(Infrastructure::stopKafka));
        }
        return kafka;
    }

    /** Configuration that points a service at the shared infrastructure; {@code schema} is its database schema. */
    public static Map<String, String> serviceConfig(String schema) {
        return Map.of(
                "quarkus.datasource.jdbc.url",
                postgres().jdbcUrl(schema),
                "quarkus.datasource.username",
                EmbeddedPostgres.USER,
                "quarkus.datasource.password",
                EmbeddedPostgres.PASSWORD,
                "campanile.kafka.bootstrap-servers",
                kafka().bootstrapServers());
    }

    private static synchronized void stopPostgres() {
        try {
            postgres.close();
        } catch (Exception e) {
            // the JVM is exiting
        }
    }

    private static synchronized void stopKafka() {
        try {
            kafka.close();
        } catch (Exception e) {
            // the JVM is exiting
        }
    }
}
