package io.campanile.storage.auth;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Arrays;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Every endpoint of storage's REST API (all under {@code /internal}) needs {@code Authorization: Bearer <token>} with a
 * service token derived from {@code campanile.storage.service-secret} (docs/adr/0017): a missing or wrong token is a
 * 401, a service an endpoint's {@link ServiceOnly} does not name a 403. Health, metrics and the OpenAPI document are
 * not REST resources, so they stay open to the kubelet and Prometheus. A new resource is closed by default.
 */
@Singleton
public class ServiceAuthFilter {
    private static final Logger LOG = Logger.getLogger(ServiceAuthFilter.class);
    private static final String BEARER = "bearer ";

    private final ServiceTokens tokens;
    private final CallingService caller;

    @Inject
    ServiceAuthFilter(ServiceTokens tokens, CallingService caller) {
        this.tokens = tokens;
        this.caller = caller;
    }

    /** Runs after routing (the endpoint's {@link ServiceOnly} is known); {@code null} lets the request through. */
    @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
    public Response authenticate(ContainerRequestContext request, ResourceInfo resource) {
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Problems.unauthorized("a service token is required: Authorization: Bearer <token>");
        }
        Optional<String> service =
                tokens.verify(header.substring(BEARER.length()).strip());
        if (service.isEmpty()) {
            // No token text in the log: a near miss may be a real token of another deployment.
            LOG.warnf(
                    "refused a bad service token on %s %s",
                    request.getMethod(), request.getUriInfo().getPath());
            return Problems.unauthorized("the service token is not valid here");
        }
        String name = service.get();
        Optional<ServiceOnly> only = only(resource);
        if (only.isPresent() && !Arrays.asList(only.get().value()).contains(name)) {
            return Problems.forbidden(name + " may not call this endpoint; it is for "
                    + String.join(", ", only.get().value()) + " only");
        }
        caller.set(name);
        return null;
    }

    private static Optional<ServiceOnly> only(ResourceInfo resource) {
        ServiceOnly onMethod = resource.getResourceMethod() == null
                ? null
                : resource.getResourceMethod().getAnnotation(ServiceOnly.class);
        if (onMethod != null) {
            return Optional.of(onMethod);
        }
        return resource.getResourceClass() == null
                ? Optional.empty()
                : Optional.ofNullable(resource.getResourceClass().getAnnotation(ServiceOnly.class));
    }
}
