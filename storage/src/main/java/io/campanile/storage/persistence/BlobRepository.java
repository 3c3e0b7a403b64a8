package io.campanile.storage.persistence;

import io.campanile.contracts.BlobInfo;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/** Blob rows, written with plain SQL so that metadata reads never load the bytes. */
@ApplicationScoped
public class BlobRepository {
    private final EntityManager em;

    @Inject
    BlobRepository(EntityManager em) {
        this.em = em;
    }

    /**
     * Inserts the blob unless its address is already stored; returns what is stored. Either way the blob's
     * {@code last_put_at} becomes now, so the collector leaves it a full grace period for the reference that usually
     * follows a put. One statement against the collector's: a put that waits on a delete of the same address inserts
     * the row again once the delete commits, and a delete that waits on a put sees the new time and keeps the row.
     */
    @Transactional
    public BlobInfo put(String sha256, String mediaType, byte[] data) {
        em.createNativeQuery("insert into blobs (sha256, size, media_type, data) values (?1, ?2, ?3, ?4) "
                        + "on conflict (sha256) do update set last_put_at = now()")
                .setParameter(1, sha256)
                .setParameter(2, (long) data.length)
                .setParameter(3, mediaType)
                .setParameter(4, data)
                .executeUpdate();
        return info(sha256).orElseThrow();
    }

    @Transactional
    public Optional<BlobInfo> info(String sha256) {
        List<?> rows = em.createNativeQuery("select sha256, size, media_type, created_at from blobs where sha256 = ?1")
                .setParameter(1, sha256)
                .getResultList();
        return rows.stream().findFirst().map(r -> {
            Object[] c = (Object[]) r;
            return new BlobInfo(((String) c[0]).trim(), ((Number) c[1]).longValue(), (String) c[2], toInstant(c[3]));
        });
    }

    @Transactional
    public Optional<byte[]> data(String sha256) {
        List<?> rows = em.createNativeQuery("select data from blobs where sha256 = ?1")
                .setParameter(1, sha256)
                .getResultList();
        return rows.stream().findFirst().map(r -> (byte[]) r);
    }

    static Instant toInstant(Object o) {
        if (o instanceof Instant i) {
            return i;
        }
        if (o instanceof OffsetDateTime t) {
            return t.toInstant();
        }
        if (o instanceof Timestamp ts) {
            return ts.toInstant();
        }
        throw new IllegalStateException("unexpected timestamp type " + o.getClass());
    }
}
