package io.campanile.storage.auth;

import io.campanile.contracts.ServiceCredentials;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;

/**
 * Checks service tokens against storage's secret. Created at start, so a missing or short secret stops storage before
 * it serves anything (a bean of its own: the REST filters are made before the runtime configuration is read).
 */
@Startup
@ApplicationScoped
public class ServiceTokens {
    private final String secret;

    @Inject
    ServiceTokens(ServiceAuthConfig config) {
        try {
            ServiceCredentials.checkSecret(config.serviceSecret());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("campanile.storage.service-secret: " + e.getMessage());
        }
        this.secret = config.serviceSecret().strip();
    }

    /** The service a token names, when storage issued it. */
    public Optional<String> verify(String token) {
        return ServiceCredentials.verify(secret, token);
    }
}
