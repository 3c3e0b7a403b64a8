package io.campanile.gateway.api;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * A page on another site can make a browser send a form to this API (a "simple" cross-site request, which has no
 * CORS preflight). Browsers say where such a request comes from: {@code Sec-Fetch-Site} ({@code cross-site},
 * {@code same-site}), or in older ones an {@code Origin} that is not this host. A state-changing request
 * ({@code POST}, {@code PUT}, {@code PATCH}, {@code DELETE} under {@code /v1}) from another site is refused with 403,
 * so a cross-site form can do nothing; the dashboard's own requests ({@code same-origin}) and clients that are not
 * browsers (the CLI, curl: neither header) pass. With API keys in a header, a cross-site form cannot authenticate
 * either. (The same rule as Go's {@code net/http.CrossOriginProtection}.)
 */
public class CrossSiteGuard {
    private static final Set<String> STATE_CHANGING = Set.of("POST", "PUT", "PATCH", "DELETE");

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> refuseCrossSite(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!STATE_CHANGING.contains(request.getMethod()) || !(path.equals("/v1") || path.startsWith("/v1/"))) {
            return Optional.empty();
        }
        String site = request.getHeaderString("Sec-Fetch-Site");
        if (site != null) {
            String s = site.strip().toLowerCase(Locale.ROOT);
            return s.equals("same-origin") || s.equals("none") ? Optional.empty() : refuse("a " + s + " request");
        }
        String origin = request.getHeaderString("Origin");
        if (origin == null || sameHost(origin, request.getHeaderString("Host"))) {
            return Optional.empty();
        }
        return refuse("a request from " + (origin.length() > 100 ? origin.substring(0, 100) + "..." : origin));
    }

    private static boolean sameHost(String origin, String host) {
        try {
            URI o = URI.create(origin.strip());
            String authority = o.getRawAuthority();
            return host != null && authority != null && authority.equalsIgnoreCase(host.strip());
        } catch (IllegalArgumentException e) {
            return false; // "null" (a sandboxed page) or garbage: not this host
        }
    }

    private static Optional<Response> refuse(String what) {
        return Optional.of(ProblemMappers.problem(
                403,
                "Forbidden",
                "Origin",
                what + " may not change state; send it from this site or a client that is not a browser"));
    }
}
