package io.campanile.gateway.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import jakarta.persistence.PersistenceException;
import java.sql.SQLException;
import org.hibernate.exception.ConstraintViolationException;
import org.hibernate.exception.JDBCConnectionException;
import org.junit.jupiter.api.Test;

/** JPA's failures leave the repositories as database exceptions; a connection failure is told apart (a 503). */
class DatabaseExceptionTest {
    @Test
    void connectionFailuresAreUnavailable() {
        assertInstanceOf(
                DatabaseUnavailableException.class,
                DatabaseException.of(new JDBCConnectionException(
                        "Unable to acquire JDBC Connection", new SQLException("Acquisition timeout while waiting"))));
        assertInstanceOf(
                DatabaseUnavailableException.class,
                DatabaseException.of(
                        new PersistenceException("x", new SQLException("The connection attempt failed.", "08001"))));
        assertInstanceOf(
                DatabaseUnavailableException.class,
                DatabaseException.of(new PersistenceException("x", new RuntimeException("Connection refused"))));
    }

    @Test
    void otherFailuresAreDatabaseErrorsWithTheirMessageAndCause() {
        PersistenceException duplicate = new ConstraintViolationException(
                "duplicate key value",
                new SQLException("duplicate key value violates unique constraint", "23505"),
                "jobs_idempotency_key");
        DatabaseException e = DatabaseException.of(duplicate);
        assertFalse(e instanceof DatabaseUnavailableException);
        assertEquals(duplicate.getMessage(), e.getMessage());
        assertSame(duplicate, e.getCause());
    }
}
