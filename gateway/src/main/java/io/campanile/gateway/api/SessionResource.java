package io.campanile.gateway.api;

import io.campanile.gateway.auth.ApiKeyFilter;
import io.campanile.gateway.auth.Caller;
import io.campanile.gateway.auth.CurrentCaller;
import io.campanile.gateway.config.GatewayConfig;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The dashboard's session (ADR 0015). {@code <img>} and {@code EventSource} cannot send an Authorization header, so
 * the dashboard, holding the key, asks for a cookie with it: HttpOnly (scripts cannot read it), SameSite=Strict (no
 * other site's page sends it) and good for GET and HEAD only, so that it cannot change anything. Creating it needs the
 * Bearer header; so does ending it.
 */
@Path("/v1/session")
@Produces(MediaType.APPLICATION_JSON)
public class SessionResource {
    private final CurrentCaller caller;
    private final GatewayConfig config;

    /** Who the key is: its tenant, name and whether it is an admin key. */
    public record Whoami(String tenant, String keyName, boolean admin) {
        static Whoami of(Caller c) {
            return new Whoami(c.tenant(), c.keyName(), c.admin());
        }
    }

    @Inject
    SessionResource(CurrentCaller caller, GatewayConfig config) {
        this.caller = caller;
        this.config = config;
    }

    @GET
    @Operation(summary = "Who the key (or session) is: tenant, key name, admin")
    public Whoami whoami() {
        return Whoami.of(caller.get());
    }

    @POST
    @Operation(
            summary = "Start a dashboard session",
            description = "Sets an HttpOnly, SameSite=Strict cookie holding the Bearer key; it authenticates GET and"
                    + " HEAD only (images, event streams, pages)")
    public Response start(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @Context UriInfo uri) {
        Caller c = caller.get();
        if (authorization == null) { // the filter lets a POST through with the header only; never from the cookie
            throw ApiProblem.unauthorized("a session is started with Authorization: Bearer <key>");
        }
        String key = authorization.substring("Bearer ".length()).trim();
        if (!key.matches("[A-Za-z0-9._~+/=-]+")) {
            throw ApiProblem.badField("Authorization", "this key cannot be kept in a cookie; use a generated key");
        }
        boolean https = "https".equals(uri.getRequestUri().getScheme());
        return Response.ok(Whoami.of(c))
                .header("Set-Cookie", cookie(key, config.auth().sessionSeconds()) + (https ? "; Secure" : ""))
                .header("Cache-Control", "no-store")
                .build();
    }

    @DELETE
    @Operation(summary = "End the dashboard session: the cookie is cleared")
    public Response end() {
        caller.get();
        return Response.noContent().header("Set-Cookie", cookie("", 0)).build();
    }

    /** The cookie; Path=/ because the pages, images and streams all need it. */
    private static String cookie(String value, int maxAgeSeconds) {
        return ApiKeyFilter.COOKIE + "=" + value + "; Path=/; Max-Age=" + maxAgeSeconds + "; HttpOnly; SameSite=Strict";
    }
}
