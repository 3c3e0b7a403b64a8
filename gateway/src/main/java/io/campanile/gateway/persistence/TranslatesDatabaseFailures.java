package io.campanile.gateway.persistence;

import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.interceptor.InterceptorBinding;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * On a repository: a JPA exception thrown by any of its methods leaves it as a {@link DatabaseException}
 * ({@link DatabaseFailureTranslator}), so that services and the API handle database failures without JPA.
 */
@InterceptorBinding
@Retention(RUNTIME)
@Target(TYPE)
public @interface TranslatesDatabaseFailures {}
