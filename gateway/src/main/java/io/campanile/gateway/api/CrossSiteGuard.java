package io.campanile.gateway.api;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * A page on another site can make a browser send a form to this API (a "simple" cross-site request: no preflight);
 * such a request can only carry the three form content types. State-changing requests ({@code POST}, {@code PUT},
 * {@code PATCH}, {@code DELETE} under {@code /v1}) with one of them are refused with 415, so a cross-site form can do
 * nothing: the API's bodies are JSON, and a request without a body (cancel) has no content type from our clients.
 * With API keys in a header, a cross-site form cannot authenticate either.
 */
public class CrossSiteGuard {
    private static final Set<String> STATE_CHANGING = Set.of("POST", "PUT", "PATCH", "DELETE");
    private static final Set<String> FORM_TYPES =
            Set.of(MediaType.APPLICATION_FORM_URLENCODED, MediaType.MULTIPART_FORM_DATA, MediaType.TEXT_PLAIN);

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> refuseForms(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!STATE_CHANGING.contains(request.getMethod()) || !(path.equals("/v1") || path.startsWith("/v1/"))) {
            return Optional.empty();
        }
        String type = request.getHeaderString("Content-Type");
        if (type == null) {
            return Optional.empty();
        }
        String essence = type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!FORM_TYPES.contains(essence)) {
            return Optional.empty();
        }
        return Optional.of(ProblemMappers.problem(
                415,
                "Unsupported media type",
                "Content-Type",
                "state-changing requests take application/json (or no body), not " + essence));
    }
}
