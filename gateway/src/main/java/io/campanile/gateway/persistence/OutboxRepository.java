package io.campanile.gateway.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.List;

/** Rows of {@code outbox}: messages written with the change they announce, published after the commit. */
@ApplicationScoped
@TranslatesDatabaseFailures
public class OutboxRepository {
    private final EntityManager em;

    @Inject
    OutboxRepository(EntityManager em) {
        this.em = em;
    }

    /** Adds a message to the outbox in the caller's transaction. */
    public void insert(String topic, String key, String payload) {
        OutboxEntity.of(topic, key, payload).persist();
    }

    /**
     * The oldest messages, at most {@code limit}, locked {@code FOR UPDATE SKIP LOCKED} until the transaction ends:
     * several relays can publish side by side, each its own rows.
     */
    @SuppressWarnings("unchecked")
    public List<OutboxEntity> lockOldest(int limit) {
        return em.createNativeQuery(
                        "select * from outbox order by id limit " + limit + " for update skip locked",
                        OutboxEntity.class)
                .getResultList();
    }

    /** Deletes the messages with these ids (published ones). */
    public void delete(List<Long> ids) {
        em.createQuery("delete from OutboxEntity o where o.id in :ids")
                .setParameter("ids", ids)
                .executeUpdate();
    }
}
