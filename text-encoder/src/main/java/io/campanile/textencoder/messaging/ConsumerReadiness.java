package io.campanile.textencoder.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready while the text-encode-requests consumer runs: a replica whose consumer died takes no work and says so. */
@Readiness
@ApplicationScoped
public class ConsumerReadiness implements HealthCheck {
    @Inject
    TextEncodeConsumer consumer;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("text-encode-requests consumer").status(consumer.consuming()).build();
    }
}
