package io.campanile.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.campanile.contracts.Json;
import io.campanile.gateway.auth.ApiKeys;
import io.campanile.gateway.auth.CurrentCaller;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * API keys, for admin keys only (ADR 0015): create one (its secret is in the answer, this once), list them (never a
 * secret: only hashes are stored), revoke one. A revoked key stops within {@code campanile.gateway.auth.key-cache-seconds}.
 */
@Path("/v1/admin/keys")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class AdminKeysResource {
    private final ApiKeys keys;
    private final CurrentCaller caller;

    /** A key as listed: no secret. */
    public record KeyView(UUID id, String name, String tenant, boolean admin, Instant createdAt, Instant revokedAt) {
        static KeyView of(ApiKeys.KeyInfo k) {
            return new KeyView(k.id(), k.name(), k.tenant(), k.admin(), k.createdAt(), k.revokedAt());
        }
    }

    /** A new key: its listing and the key itself, which is shown only in this answer. */
    public record NewKeyView(
            UUID id, String name, String tenant, boolean admin, Instant createdAt, Instant revokedAt, String key) {}

    @Inject
    AdminKeysResource(ApiKeys keys, CurrentCaller caller) {
        this.keys = keys;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Create an API key (admin)",
            description = "Body {\"name\": ..., \"tenant\": ... (default \"default\"), \"admin\": false}; 201 with the"
                    + " key, which is shown this once")
    public Response create(String body) {
        requireAdmin();
        JsonNode req;
        try {
            req = body == null || body.isBlank() ? null : Json.mapper().readTree(body);
        } catch (IOException e) {
            throw ApiProblem.badField("body", "the body must be a JSON object");
        }
        if (req == null || !req.isObject()) {
            throw ApiProblem.badField("body", "the body must be a JSON object with a 'name'");
        }
        JsonNode name = req.get("name");
        JsonNode tenant = req.get("tenant");
        JsonNode admin = req.get("admin");
        if (name == null || !name.isTextual()) {
            throw ApiProblem.badField("name", "'name' is required, a string");
        }
        if (tenant != null && !tenant.isNull() && !tenant.isTextual()) {
            throw ApiProblem.badField("tenant", "'tenant' must be a string");
        }
        if (admin != null && !admin.isNull() && !admin.isBoolean()) {
            throw ApiProblem.badField("admin", "'admin' must be true or false");
        }
        ApiKeys.Created c = keys.create(
                name.asText(),
                tenant == null || tenant.isNull() ? null : tenant.asText(),
                admin != null && admin.asBoolean());
        ApiKeys.KeyInfo k = c.info();
        return Response.created(URI.create("/v1/admin/keys/" + k.id()))
                .entity(new NewKeyView(k.id(), k.name(), k.tenant(), k.admin(), k.createdAt(), k.revokedAt(), c.key()))
                .build();
    }

    @GET
    @Operation(summary = "Every API key, revoked ones too, without secrets (admin)")
    public List<KeyView> list() {
        requireAdmin();
        return keys.list().stream().map(KeyView::of).toList();
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Revoke an API key (admin); 200 with the revoked key, 404 for an unknown id")
    public KeyView revoke(@PathParam("id") String id) {
        requireAdmin();
        UUID keyId;
        try {
            keyId = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.notFound("no key " + id);
        }
        return keys.revoke(keyId).map(KeyView::of).orElseThrow(() -> ApiProblem.notFound("no key " + id));
    }

    /** The filter refuses non-admin keys here already; checked again so that no path spelling gets past it. */
    private void requireAdmin() {
        if (!caller.get().admin()) {
            throw ApiProblem.forbidden("this endpoint needs an admin key");
        }
    }
}
