package io.campanile.deploy;

import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;

/**
 * A service as its code defines it.
 *
 * @param httpPort {@code quarkus.http.port} (or the planned port while application.properties does not declare it)
 * @param keys configuration keys its code reads: application.properties, its own and its libraries' mappings
 * @param datasource whether it has a JDBC driver (and so reads {@code quarkus.datasource.*})
 * @param healthExtension whether quarkus-smallrye-health is on its classpath (the probes' endpoints exist)
 * @param flywaySchema the schema its Flyway migrates, when application.properties says
 */
record Service(
        String name,
        Path dir,
        Pom pom,
        Properties properties,
        int httpPort,
        HealthPaths health,
        KeySet keys,
        boolean datasource,
        boolean healthExtension,
        String flywaySchema) {

    /** Planned keys (issue 3/6) of this service. */
    Set<String> plannedKeys() {
        return PlannedKeys.keys(name);
    }

    /** Whether the service reads the key now, or will (planned). */
    boolean readsOrWillRead(String key) {
        return keys.contains(key) || plannedKeys().contains(key);
    }
}
