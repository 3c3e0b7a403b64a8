package io.campanile.gateway.persistence;

import jakarta.persistence.PersistenceException;
import java.sql.SQLException;
import java.util.Locale;

/**
 * A database operation failed. Repositories throw it in place of JPA's exceptions (see
 * {@link TranslatesDatabaseFailures}), so that the layers above them need no JPA: the message is the failure's own
 * and the cause is JPA's exception. A failure to reach the database is a {@link DatabaseUnavailableException}.
 */
public class DatabaseException extends RuntimeException {
    DatabaseException(PersistenceException cause) {
        super(cause.getMessage(), cause);
    }

    /** The exception that stands for {@code e}: unavailable when the database could not be reached. */
    static DatabaseException of(PersistenceException e) {
        return isConnectionFailure(e) ? new DatabaseUnavailableException(e) : new DatabaseException(e);
    }

    /** Whether the failure is a connection problem (SQL state class 08, a pool that gives no connection). */
    static boolean isConnectionFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s
                    && s.getSQLState() != null
                    && s.getSQLState().startsWith("08")) {
                return true;
            }
            String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (m.contains("acquisition timeout")
                    || m.contains("connection refused")
                    || m.contains("unable to acquire jdbc connection")) {
                return true;
            }
        }
        return false;
    }
}
