package io.campanile.gateway.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Readiness: the gateway is ready only while Kafka answers. */
@Readiness
@ApplicationScoped
public class BrokerHealth implements HealthCheck {
    private final BrokerStatus broker;

    @Inject
    BrokerHealth(BrokerStatus broker) {
        this.broker = broker;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("kafka").status(broker.available()).build();
    }
}
