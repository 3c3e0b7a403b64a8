package io.campanile.gateway.auth;

import io.campanile.gateway.persistence.StandInKeyLookup;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Who sent the current request. STAND-IN of issue 15 piece E until piece A's authentication merges (A's version
 * replaces this file): a request with {@code Authorization: Bearer <key>} whose SHA-256 (hex) is an unrevoked row of
 * {@code api_keys} is that key's tenant; any other request is the default tenant as an admin, as before keys existed.
 */
@RequestScoped
public class CurrentCaller {
    private static final Caller ANONYMOUS = new Caller(Caller.DEFAULT_TENANT, "anonymous", true);

    private final CurrentVertxRequest request;
    private final StandInKeyLookup keys;
    private Caller caller;

    @Inject
    CurrentCaller(CurrentVertxRequest request, StandInKeyLookup keys) {
        this.request = request;
        this.keys = keys;
    }

    /** The caller of the current request. */
    public Caller get() {
        if (caller == null) {
            caller = resolve();
        }
        return caller;
    }

    private Caller resolve() {
        String header = request.getCurrent() == null
                ? null
                : request.getCurrent().request().getHeader("Authorization");
        if (header == null || !header.startsWith("Bearer ")) {
            return ANONYMOUS;
        }
        String hash = sha256(header.substring("Bearer ".length()).trim());
        return QuarkusTransaction.requiringNew()
                .call(() -> keys.find(hash))
                .map(k -> new Caller(k.tenant(), k.name(), k.admin()))
                .orElse(ANONYMOUS);
    }

    private static String sha256(String key) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
