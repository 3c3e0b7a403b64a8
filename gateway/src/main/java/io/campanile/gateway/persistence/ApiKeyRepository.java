package io.campanile.gateway.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Rows of {@code api_keys}, in the caller's transaction. */
@ApplicationScoped
@TranslatesDatabaseFailures
public class ApiKeyRepository {
    private final EntityManager em;

    @Inject
    ApiKeyRepository(EntityManager em) {
        this.em = em;
    }

    /** The key whose secret hashes to {@code keyHash}, revoked or not. */
    public Optional<ApiKeyEntity> findByHash(String keyHash) {
        return ApiKeyEntity.find("keyHash", keyHash).firstResultOptional();
    }

    public ApiKeyEntity find(UUID id) {
        return ApiKeyEntity.findById(id);
    }

    /** Every key, oldest first. */
    public List<ApiKeyEntity> list() {
        return ApiKeyEntity.list("order by createdAt, id");
    }

    public void insert(ApiKeyEntity key) {
        key.persistAndFlush();
    }

    /**
     * Inserts the key unless one with its hash exists (a concurrent replica may insert it at the same time).
     *
     * @return whether this call inserted it
     */
    public boolean insertIfAbsent(ApiKeyEntity key) {
        return em.createNativeQuery("insert into api_keys (id, name, tenant, admin, key_hash, created_at)"
                                + " values (?1, ?2, ?3, ?4, ?5, ?6) on conflict (key_hash) do nothing")
                        .setParameter(1, key.id)
                        .setParameter(2, key.name)
                        .setParameter(3, key.tenant)
                        .setParameter(4, key.admin)
                        .setParameter(5, key.keyHash)
                        .setParameter(6, key.createdAt)
                        .executeUpdate()
                == 1;
    }

    /** Revokes the key at {@code at} unless it already is; false when there is no such key. */
    public boolean revoke(UUID id, Instant at) {
        ApiKeyEntity key = find(id);
        if (key == null) {
            return false;
        }
        if (key.revokedAt == null) {
            key.revokedAt = at;
        }
        return true;
    }
}
