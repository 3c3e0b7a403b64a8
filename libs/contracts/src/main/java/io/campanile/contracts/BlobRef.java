package io.campanile.contracts;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/** A reference to a content-addressed blob in storage: the lower-case hex SHA-256 of its bytes. */
public record BlobRef(String sha256) {
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    public BlobRef {
        Objects.requireNonNull(sha256, "sha256");
        if (!HEX64.matcher(sha256).matches()) {
            throw new IllegalArgumentException("not a sha-256 hex digest: " + sha256);
        }
    }

    /** The address storage gives {@code bytes}. */
    public static BlobRef of(byte[] bytes) {
        try {
            return new BlobRef(HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
