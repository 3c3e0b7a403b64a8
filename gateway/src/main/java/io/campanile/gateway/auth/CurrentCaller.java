package io.campanile.gateway.auth;

import io.campanile.gateway.api.ApiProblem;
import jakarta.enterprise.context.RequestScoped;
import org.jboss.resteasy.reactive.server.core.CurrentRequestManager;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;

/**
 * The caller of the current request, as {@link ApiKeyFilter} resolved it from the request's API key. The filter
 * keeps it on the request itself (a filter may finish on another thread than the one it started on, so it does not
 * write to a request-scoped bean); this bean reads it from there.
 */
@RequestScoped
public class CurrentCaller {
    /** The request property the filter stores the {@link Caller} under. */
    static final String PROPERTY = "campanile.caller";

    /**
     * The caller.
     *
     * @throws ApiProblem 401 when the request carried no valid key (only open endpoints run without one)
     */
    public Caller get() {
        ResteasyReactiveRequestContext request = CurrentRequestManager.get();
        Object caller = request == null ? null : request.getProperty(PROPERTY);
        if (caller instanceof Caller c) {
            return c;
        }
        throw ApiProblem.unauthorized("an API key is needed: send Authorization: Bearer <key>");
    }
}
