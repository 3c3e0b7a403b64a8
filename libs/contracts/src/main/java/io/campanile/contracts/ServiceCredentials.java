package io.campanile.contracts;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The credential a service presents to storage's internal API ({@code Authorization: Bearer <token>}): a token is
 * {@code <service>.<base64url(HMAC-SHA256(secret, service))>}. Storage holds the one secret and checks a token by
 * recomputing its MAC, so it keeps no table of tokens, and each service holds only its own token: a worker that leaks
 * its token lets an attacker act as that worker, not as the gateway or the text encoder (docs/adr/0017). Here, in
 * contracts, because storage, the services' storage client and the local stack (libs/testkit) all need it.
 */
public final class ServiceCredentials {
    /** A service name: what the owner tables of storage name (e.g. {@code text-encoder}). */
    private static final Pattern SERVICE = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    /** The shortest secret accepted: 32 characters (a generated one is 43: 32 random bytes in base64url). */
    public static final int MIN_SECRET_LENGTH = 32;

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final SecureRandom RANDOM = new SecureRandom();

    private ServiceCredentials() {}

    /** A new random secret: 32 bytes, base64url without padding (43 characters). */
    public static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return B64.encodeToString(bytes);
    }

    /** The token of {@code service} under {@code secret}. */
    public static String token(String secret, String service) {
        checkSecret(secret);
        if (!SERVICE.matcher(service).matches()) {
            throw new IllegalArgumentException("not a service name: '" + service + "'");
        }
        return service + "." + B64.encodeToString(mac(secret, service));
    }

    /**
     * The service a token names, when its MAC is right; empty for anything else (no dot, an unknown shape, a MAC made
     * with another secret). The MACs are compared in constant time.
     */
    public static Optional<String> verify(String secret, String token) {
        if (token == null) {
            return Optional.empty();
        }
        int dot = token.indexOf('.');
        if (dot < 0) {
            return Optional.empty();
        }
        String service = token.substring(0, dot);
        if (!SERVICE.matcher(service).matches()) {
            return Optional.empty();
        }
        byte[] expected = B64.encode(mac(secret, service));
        byte[] given = token.substring(dot + 1).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, given) ? Optional.of(service) : Optional.empty();
    }

    /** Refuses a secret too short to resist guessing; the message names no value. */
    public static void checkSecret(String secret) {
        if (secret == null || secret.strip().length() < MIN_SECRET_LENGTH) {
            throw new IllegalArgumentException(
                    "the service secret must be at least " + MIN_SECRET_LENGTH + " characters");
        }
    }

    private static byte[] mac(String secret, String service) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(service.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}
