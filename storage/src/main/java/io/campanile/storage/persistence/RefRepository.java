package io.campanile.storage.persistence;

import io.campanile.contracts.RefEntry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Optional;

/** Rows of {@code refs}: (namespace, key) to a blob address, written once. */
@ApplicationScoped
public class RefRepository {
    private final EntityManager em;

    @Inject
    RefRepository(EntityManager em) {
        this.em = em;
    }

    /**
     * Stores the reference unless the key already has one, and returns the address the key now refers to (the
     * earlier one when it had one). The blob must exist: the foreign key refuses others.
     */
    @Transactional
    public String putIfAbsent(String namespace, String key, String sha256) {
        em.createNativeQuery("insert into refs (namespace, key, sha256) values (?1, ?2, ?3) "
                        + "on conflict (namespace, key) do nothing")
                .setParameter(1, namespace)
                .setParameter(2, key)
                .setParameter(3, sha256)
                .executeUpdate();
        return find(namespace, key).orElseThrow();
    }

    /** The references of a namespace whose key starts with {@code prefix}, by key. */
    @Transactional
    public List<RefEntry> list(String namespace, String prefix) {
        List<?> rows = em.createNativeQuery("select r.key, r.sha256, b.size, b.media_type from refs r "
                        + "join blobs b on b.sha256 = r.sha256 where r.namespace = ?1 and starts_with(r.key, ?2) "
                        + "order by r.key limit 1000")
                .setParameter(1, namespace)
                .setParameter(2, prefix)
                .getResultList();
        return rows.stream()
                .map(r -> (Object[]) r)
                .map(r ->
                        new RefEntry((String) r[0], ((String) r[1]).trim(), ((Number) r[2]).longValue(), (String) r[3]))
                .toList();
    }

    @Transactional
    public Optional<String> find(String namespace, String key) {
        List<?> rows = em.createNativeQuery("select sha256 from refs where namespace = ?1 and key = ?2")
                .setParameter(1, namespace)
                .setParameter(2, key)
                .getResultList();
        return rows.stream().findFirst().map(r -> ((String) r).trim());
    }
}
