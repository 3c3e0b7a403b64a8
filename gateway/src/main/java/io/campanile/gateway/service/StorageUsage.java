package io.campanile.gateway.service;

import io.campanile.platform.StorageClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.jboss.logging.Logger;

/**
 * The bytes each tenant holds in storage ({@link StorageClient#usage}), kept for {@link #MAX_AGE} so that a burst of
 * submissions costs storage one request per tenant every few seconds. A failed reading is kept as long and answers
 * "unknown": the stored-bytes quota is then not enforced (a storage that cannot answer cannot take the job's inputs
 * either, and a job without inputs should not fail for a count).
 */
@ApplicationScoped
public class StorageUsage {
    private static final Logger LOG = Logger.getLogger(StorageUsage.class);
    /** How long one reading is served. */
    static final Duration MAX_AGE = Duration.ofSeconds(5);

    private record Reading(OptionalLong bytes, long atNanos) {}

    private final StorageClient storage;
    private final ConcurrentMap<String, Reading> readings = new ConcurrentHashMap<>();

    @Inject
    StorageUsage(StorageClient storage) {
        this.storage = storage;
    }

    /** The tenant's stored bytes at most {@link #MAX_AGE} ago, or empty when storage did not tell. */
    public OptionalLong of(String tenant) {
        Reading r = readings.get(tenant);
        if (r == null || System.nanoTime() - r.atNanos() > MAX_AGE.toNanos()) {
            r = new Reading(read(tenant), System.nanoTime());
            readings.put(tenant, r);
        }
        return r.bytes();
    }

    private OptionalLong read(String tenant) {
        try {
            return OptionalLong.of(storage.usage(tenant));
        } catch (RuntimeException e) {
            LOG.warnf("usage of tenant %s unknown, its stored-bytes quota not checked: %s", tenant, e.toString());
            return OptionalLong.empty();
        }
    }
}
