package io.campanile.gateway.persistence;

import jakarta.annotation.Priority;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import jakarta.persistence.PersistenceException;

/**
 * Turns the JPA exceptions of repository methods into {@link DatabaseException}s. It wraps the repository call only:
 * the caller's transaction, begun by the service, sees the failure as before and rolls back.
 */
@TranslatesDatabaseFailures
@Interceptor
@Priority(Interceptor.Priority.APPLICATION)
public class DatabaseFailureTranslator {
    @AroundInvoke
    Object translate(InvocationContext ctx) throws Exception {
        try {
            return ctx.proceed();
        } catch (PersistenceException e) {
            throw DatabaseException.of(e);
        }
    }
}
