package io.campanile.platform;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/** The storage client of a service: one per process, at {@code campanile.storage.url}, with the service's token. */
@Singleton
public class StorageClients {
    private static final Logger LOG = Logger.getLogger(StorageClients.class);

    @Produces
    @Singleton
    StorageClient storage(StorageConfig storage, ServiceConfig service) {
        String token = service.token().strip();
        int dot = token.indexOf('.');
        if (dot <= 0) {
            throw new IllegalArgumentException(
                    "campanile.service.token must be <service>.<mac>, as the stack or create-secrets.sh derive it");
        }
        LOG.infof("storage at %s; this service calls it as %s", storage.url(), token.substring(0, dot));
        return new StorageClient(storage.url(), token);
    }
}
