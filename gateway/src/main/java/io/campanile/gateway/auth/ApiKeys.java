package io.campanile.gateway.auth;

import io.campanile.gateway.config.GatewayConfig;
import io.campanile.gateway.persistence.ApiKeyEntity;
import io.campanile.gateway.persistence.ApiKeyRepository;
import io.campanile.gateway.service.InvalidRequestException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * API keys (ADR 0015): created with a random secret shown once, stored as its SHA-256, revoked by setting
 * {@code revoked_at}. {@link #verify} remembers each answer for {@code campanile.gateway.auth.key-cache-seconds} (5 s
 * by default), so a request costs no database read while a revoked key still stops within that time on every
 * replica (at once on the replica that revoked it).
 */
@ApplicationScoped
public class ApiKeys {
    private static final Logger LOG = Logger.getLogger(ApiKeys.class);
    /** Bound of the verification cache: past it the cache starts afresh (a flood of made-up keys cannot grow it). */
    private static final int MAX_CACHED = 10_000;

    private final ApiKeyRepository keys;
    private final GatewayConfig config;
    private final long cacheNanos;
    private final Map<String, Verified> cache = new ConcurrentHashMap<>();

    /** A key's listing: everything but its secret, which is never stored. */
    public record KeyInfo(UUID id, String name, String tenant, boolean admin, Instant createdAt, Instant revokedAt) {
        static KeyInfo of(ApiKeyEntity e) {
            return new KeyInfo(e.id, e.name, e.tenant, e.admin, e.createdAt, e.revokedAt);
        }
    }

    /** A new key: its listing and its secret, which is shown this once. */
    public record Created(KeyInfo info, String key) {}

    /** A cached answer of {@link #verify}: the caller, or null for an unknown or revoked key. */
    private record Verified(Caller caller, long expiresAt) {}

    @Inject
    ApiKeys(ApiKeyRepository keys, GatewayConfig config) {
        this.keys = keys;
        this.config = config;
        int seconds = config.auth().keyCacheSeconds();
        if (seconds < 0) {
            throw new IllegalArgumentException(
                    "campanile.gateway.auth.key-cache-seconds must be 0 or more, was " + seconds);
        }
        this.cacheNanos = seconds * 1_000_000_000L;
    }

    /** Makes sure the bootstrap admin key exists (name "bootstrap", tenant "default", admin). */
    void bootstrap(@Observes StartupEvent started) {
        config.bootstrapAdminKey().filter(k -> !k.isBlank()).ifPresent(this::ensureBootstrap);
    }

    void ensureBootstrap(String key) {
        if (!KeySecrets.plausible(key)) {
            throw new IllegalArgumentException("campanile.gateway.bootstrap-admin-key must be 20 to 200 printable"
                    + " characters without spaces (the local stack makes cmp_ and 43 random characters)");
        }
        ApiKeyEntity row = row("bootstrap", Caller.DEFAULT_TENANT, true, KeySecrets.sha256(key));
        boolean inserted = QuarkusTransaction.requiringNew().call(() -> keys.insertIfAbsent(row));
        if (inserted) {
            LOG.info("bootstrap admin key registered (tenant default)");
        } else if (QuarkusTransaction.requiringNew()
                .call(() -> keys.findByHash(row.keyHash)
                        .map(k -> k.revokedAt != null)
                        .orElse(false))) {
            LOG.warn("the bootstrap admin key was revoked: it stays revoked (make a new one and restart with it)");
        }
    }

    /**
     * Creates a key.
     *
     * @throws InvalidRequestException naming the field when the name or tenant is not allowed
     */
    public Created create(String name, String tenant, boolean admin) {
        String t = tenant == null ? Caller.DEFAULT_TENANT : tenant;
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9 ._@-]{0,99}")) {
            throw new InvalidRequestException(
                    "name",
                    "'name' must be 1 to 100 letters, digits, spaces or '._@-', starting with a letter or digit");
        }
        if (!t.matches("[a-z0-9][a-z0-9._-]{0,62}")) {
            throw new InvalidRequestException(
                    "tenant",
                    "'tenant' must be 1 to 63 lower-case letters, digits or '._-', starting with one of the first two");
        }
        String key = KeySecrets.generate();
        ApiKeyEntity row = row(name, t, admin, KeySecrets.sha256(key));
        QuarkusTransaction.requiringNew().run(() -> keys.insert(row));
        return new Created(KeyInfo.of(row), key);
    }

    /** Every key, revoked ones too, oldest first. */
    public List<KeyInfo> list() {
        return QuarkusTransaction.requiringNew()
                .call(() -> keys.list().stream().map(KeyInfo::of).toList());
    }

    /**
     * Revokes a key: it stops at once on this replica, and within the cache time on the others.
     *
     * @return the key's listing, or empty when there is no such key
     */
    public Optional<KeyInfo> revoke(UUID id) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Optional<KeyInfo> revoked = QuarkusTransaction.requiringNew().call(() -> {
            if (!keys.revoke(id, now)) {
                return Optional.<KeyInfo>empty();
            }
            return Optional.of(KeyInfo.of(keys.find(id)));
        });
        revoked.ifPresent(k -> cache.clear()); // the hash is not at hand here: forget every answer
        return revoked;
    }

    /**
     * The caller a key stands for, or empty for a key that is unknown or revoked. Reads the database (blocking) unless
     * the answer is cached; see {@link #cached} for the non-blocking look.
     */
    public Optional<Caller> verify(String key) {
        if (!KeySecrets.plausible(key)) {
            return Optional.empty();
        }
        String hash = KeySecrets.sha256(key);
        Verified v = fresh(hash);
        if (v == null) {
            Caller caller = QuarkusTransaction.requiringNew()
                    .call(() -> keys.findByHash(hash)
                            .filter(k -> k.revokedAt == null)
                            .map(k -> new Caller(k.tenant, k.name, k.admin))
                            .orElse(null));
            v = new Verified(caller, System.nanoTime() + cacheNanos);
            if (cacheNanos > 0) {
                if (cache.size() >= MAX_CACHED) {
                    cache.clear();
                }
                cache.put(hash, v);
            }
        }
        return Optional.ofNullable(v.caller());
    }

    /**
     * The cached answer for a key without touching the database: a caller, {@link Optional#empty()} for a key known
     * to be bad, or null when {@link #verify} must ask the database.
     */
    @SuppressWarnings("java:S2789") // null means "not cached", distinct from an empty answer
    public Optional<Caller> cached(String key) {
        if (!KeySecrets.plausible(key)) {
            return Optional.empty();
        }
        Verified v = fresh(KeySecrets.sha256(key));
        return v == null ? null : Optional.ofNullable(v.caller());
    }

    private Verified fresh(String hash) {
        Verified v = cache.get(hash);
        if (v != null && v.expiresAt() - System.nanoTime() <= 0) {
            cache.remove(hash, v);
            return null;
        }
        return v;
    }

    private static ApiKeyEntity row(String name, String tenant, boolean admin, String hash) {
        ApiKeyEntity row = new ApiKeyEntity();
        row.id = UUID.randomUUID();
        row.name = name;
        row.tenant = tenant;
        row.admin = admin;
        row.keyHash = hash;
        row.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return row;
    }
}
