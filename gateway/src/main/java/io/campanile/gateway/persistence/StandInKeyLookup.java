package io.campanile.gateway.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.List;
import java.util.Optional;

/**
 * Reads {@code api_keys} for the stand-in {@code CurrentCaller} of issue 15 piece E; goes when piece A's
 * authentication (with its own repository) merges.
 */
@ApplicationScoped
@TranslatesDatabaseFailures
public class StandInKeyLookup {
    /** An unrevoked key's owner. */
    public record KeyOwner(String tenant, String name, boolean admin) {}

    private final EntityManager em;

    @Inject
    StandInKeyLookup(EntityManager em) {
        this.em = em;
    }

    /** The owner of the unrevoked key with this SHA-256 (hex), in the caller's transaction. */
    public Optional<KeyOwner> find(String keyHash) {
        List<?> rows = em.createNativeQuery(
                        "select tenant, name, admin from api_keys where key_hash = ?1 and revoked_at is null")
                .setParameter(1, keyHash)
                .getResultList();
        return rows.stream()
                .map(row -> (Object[]) row)
                .map(r -> new KeyOwner((String) r[0], (String) r[1], (Boolean) r[2]))
                .findFirst();
    }
}
