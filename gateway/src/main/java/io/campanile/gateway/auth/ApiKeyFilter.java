package io.campanile.gateway.auth;

import io.campanile.gateway.api.ApiProblem;
import io.campanile.gateway.api.ProblemMappers;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Every request to the API and the dashboard pages needs an API key (ADR 0015): {@code Authorization: Bearer <key>},
 * or for GET and HEAD only the dashboard's session cookie (which {@code <img>} and {@code EventSource} send, as they
 * cannot send headers). A state-changing request must carry the header, so a cross-site form or script riding on the
 * cookie can do nothing. Open without a key: the login page, {@code /assets/**} and {@code /q/**} (health, OpenAPI,
 * Swagger UI, metrics). No key, an unknown or revoked one: 401 with {@code WWW-Authenticate: Bearer} (a dashboard page
 * redirects to the login page instead); a non-admin key on {@code /v1/admin/**}: 403. The caller found is kept for
 * {@link CurrentCaller}.
 */
public class ApiKeyFilter {
    /** The dashboard's session cookie: HttpOnly, SameSite=Strict, set by {@code POST /v1/session}. */
    public static final String COOKIE = "campanile_session";

    private final ApiKeys keys;

    @Inject
    ApiKeyFilter(ApiKeys keys) {
        this.keys = keys;
    }

    @ServerRequestFilter(preMatching = true, priority = Priorities.AUTHENTICATION)
    public Uni<Response> authenticate(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!path.startsWith("/")) {
            path = "/" + path;
        }
        if (isOpen(path)) {
            return Uni.createFrom().nullItem();
        }
        boolean page = !(path.equals("/v1") || path.startsWith("/v1/"));
        String method = request.getMethod();
        boolean read = method.equals("GET") || method.equals("HEAD");
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        String key;
        if (header != null) {
            if (!header.regionMatches(true, 0, "Bearer ", 0, 7)
                    || header.substring(7).isBlank()) {
                return refuse(page, path, "the Authorization header must be 'Bearer <key>'");
            }
            key = header.substring(7).trim();
        } else {
            Cookie cookie = request.getCookies().get(COOKIE);
            if (cookie == null || cookie.getValue().isBlank()) {
                return refuse(page, path, "an API key is needed: send Authorization: Bearer <key>");
            }
            if (!read) {
                return refuse(
                        page,
                        path,
                        "a " + method + " needs the key in the Authorization header: the session cookie serves GET and"
                                + " HEAD only");
            }
            key = cookie.getValue();
        }
        Optional<Caller> cached = keys.cached(key);
        String p = path;
        if (cached != null) {
            return Uni.createFrom().item(admit(request, p, page, cached));
        }
        if (!Context.isOnEventLoopThread()) {
            return Uni.createFrom().item(admit(request, p, page, keys.verify(key)));
        }
        return Uni.createFrom() // a database read: off the event loop
                .item(() -> admit(request, p, page, keys.verify(key)))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /** Paths served without a key. */
    static boolean isOpen(String path) {
        if (path.contains("..") || path.contains("//")) {
            return false; // not a path the open routes serve: no shortcut past the check
        }
        return path.equals("/login") || path.startsWith("/assets/") || path.equals("/q") || path.startsWith("/q/");
    }

    /** Null (go on) with the caller kept on the request, or the refusal. */
    private static Response admit(ContainerRequestContext request, String path, boolean page, Optional<Caller> caller) {
        if (caller.isEmpty()) {
            return refusal(page, path, "the API key is unknown or revoked");
        }
        if ((path.equals("/v1/admin") || path.startsWith("/v1/admin/"))
                && !caller.get().admin()) {
            return ProblemMappers.problem(ApiProblem.forbidden("this endpoint needs an admin key"));
        }
        request.setProperty(CurrentCaller.PROPERTY, caller.get());
        return null;
    }

    private static Uni<Response> refuse(boolean page, String path, String detail) {
        return Uni.createFrom().item(refusal(page, path, detail));
    }

    /** A page sends the browser to the login page (which comes back here); the API answers 401. */
    private static Response refusal(boolean page, String path, String detail) {
        if (page) {
            return Response.seeOther(URI.create("/login?next=" + URLEncoder.encode(path, StandardCharsets.UTF_8)))
                    .build();
        }
        return ProblemMappers.problem(ApiProblem.unauthorized(detail));
    }
}
