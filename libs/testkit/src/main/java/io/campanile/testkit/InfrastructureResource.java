package io.campanile.testkit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Test resource for {@code @QuarkusTest}: real PostgreSQL and real Kafka, shared by all tests of the JVM.
 * The service's database schema is read from the init argument {@code schema} (default: the service name).
 */
public class InfrastructureResource implements QuarkusTestResourceLifecycleManager {
    private String schema = "app";

    @Override
    public void init(Map<String, String> initArgs) {
        schema = initArgs.getOrDefault("schema", schema);
    }

    @Override
    public Map<String, String> start() {
        return Infrastructure.serviceConfig(schema);
    }

    @Override
    public void stop() {
        // shared for the whole JVM; stopped by a shutdown hook
    }
}
