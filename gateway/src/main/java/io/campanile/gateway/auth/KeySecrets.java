package io.campanile.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** The secrets of API keys: {@code cmp_} and 43 base64url characters (256 random bits), and their SHA-256. */
public final class KeySecrets {
    /** What every generated key starts with, so that a leaked one is easy to recognise (and to scan for). */
    public static final String PREFIX = "cmp_";

    private static final SecureRandom RANDOM = new SecureRandom();

    private KeySecrets() {}

    /** A new key: {@code cmp_} and 32 random bytes in base64url without padding (43 characters). */
    public static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Lower-case hex SHA-256 of the key's UTF-8 bytes: what {@code api_keys.key_hash} holds. */
    public static String sha256(String key) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /**
     * Whether {@code key} could be a key at all (20 to 200 printable ASCII characters, no spaces): anything else is
     * refused without hashing or a database read.
     */
    public static boolean plausible(String key) {
        if (key == null || key.length() < 20 || key.length() > 200) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c <= ' ' || c > '~') {
                return false;
            }
        }
        return true;
    }
}
