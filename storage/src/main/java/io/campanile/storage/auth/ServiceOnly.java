package io.campanile.storage.auth;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Restricts an internal resource (class) or endpoint (method) to the named services: any other authenticated service
 * gets a 403. Without it, any service with a valid token may call (e.g. read blobs). Checked by {@link ServiceAuthFilter};
 * a method's annotation wins over its class's.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface ServiceOnly {
    /** The services allowed, e.g. {@code "gateway"}. */
    String[] value();
}
