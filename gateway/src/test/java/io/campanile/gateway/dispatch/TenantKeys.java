package io.campanile.gateway.dispatch;

import io.campanile.testkit.Infrastructure;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;

/** API keys of test tenants, written straight into {@code api_keys} (stored as the SHA-256 hex of the key). */
final class TenantKeys {
    private static final SecureRandom RANDOM = new SecureRandom();

    private TenantKeys() {}

    /** A new key of {@code tenant}: {@code cmp_} and 43 base64url characters. */
    static String create(String tenant, boolean admin) throws Exception {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String key = "cmp_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        String hash = HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        try (Connection c = Infrastructure.postgres().connect();
                PreparedStatement s = c.prepareStatement(
                        "insert into gateway.api_keys (id, name, tenant, admin, key_hash) values (?, ?, ?, ?, ?)")) {
            s.setObject(1, UUID.randomUUID());
            s.setString(2, "test-" + tenant);
            s.setString(3, tenant);
            s.setBoolean(4, admin);
            s.setString(5, hash);
            s.executeUpdate();
        }
        return key;
    }
}
