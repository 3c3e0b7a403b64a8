package io.campanile.gateway.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.UUID;

/** Rows of {@code processed_events}: the ids of the job events applied, so that a redelivery changes nothing. */
@ApplicationScoped
@TranslatesDatabaseFailures
public class ProcessedEventRepository {
    private final EntityManager em;

    @Inject
    ProcessedEventRepository(EntityManager em) {
        this.em = em;
    }

    /**
     * Records the event id in the caller's transaction; false when it was already there (the event is a duplicate).
     * It commits, or rolls back, with the changes the event makes.
     */
    public boolean markProcessed(UUID eventId) {
        int fresh = em.createNativeQuery("insert into processed_events (event_id) values (?1) on conflict do nothing")
                .setParameter(1, eventId)
                .executeUpdate();
        return fresh != 0;
    }
}
