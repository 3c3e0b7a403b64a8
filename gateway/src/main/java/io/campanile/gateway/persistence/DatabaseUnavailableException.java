package io.campanile.gateway.persistence;

import jakarta.persistence.PersistenceException;

/** The database could not be reached (refused, dropped or no pooled connection in time): retry later. */
public class DatabaseUnavailableException extends DatabaseException {
    DatabaseUnavailableException(PersistenceException cause) {
        super(cause);
    }
}
