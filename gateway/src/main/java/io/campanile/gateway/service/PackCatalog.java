package io.campanile.gateway.service;

import io.campanile.packs.ModelPack;
import io.campanile.packs.PackRegistry;
import io.campanile.packs.PacksConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The model packs jobs may name: the manifests in {@code campanile.packs.dir}, rescanned at most every few seconds so
 * that a pack installed while the gateway runs becomes usable without a restart.
 */
@ApplicationScoped
public class PackCatalog {
    private static final Logger LOG = Logger.getLogger(PackCatalog.class);
    private static final long RESCAN_NANOS = 3_000_000_000L;

    private final PacksConfig config;

    private volatile PackRegistry registry;
    private volatile long scannedAt;

    @Inject
    PackCatalog(PacksConfig config) {
        this.config = config;
    }

    /** The packs found at the last scan (rescanning when it is older than a few seconds). */
    public PackRegistry registry() {
        long now = System.nanoTime();
        PackRegistry r = registry;
        if (r == null || now - scannedAt > RESCAN_NANOS) {
            synchronized (this) {
                if (registry == null || now - scannedAt > RESCAN_NANOS) {
                    PackRegistry fresh = PackRegistry.scan(Path.of(config.dir()).toAbsolutePath());
                    fresh.problems().forEach(p -> LOG.warnf("model pack skipped: %s", p));
                    registry = fresh;
                    scannedAt = now;
                }
                r = registry;
            }
        }
        return r;
    }

    public List<ModelPack> all() {
        return registry().all();
    }

    /** The pack a request names, or a 400 naming {@code field} and the packs there are. */
    public ModelPack require(String field, String id) {
        return registry()
                .find(id)
                .orElseThrow(() -> new InvalidRequestException(
                        field,
                        "unknown model '" + id + "'; available: "
                                + String.join(
                                        ", ", all().stream().map(ModelPack::id).toList())));
    }
}
