package io.campanile.testkit;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The local stack's admin API key (ADR 0015): {@code cmp_} and 43 base64url characters from {@link SecureRandom},
 * kept in a file only its owner can read (mode 0600) and reused on later starts.
 */
public final class LocalKeys {
    private static final SecureRandom RANDOM = new SecureRandom();

    private LocalKeys() {}

    /** A new key, shaped as the gateway makes them. */
    public static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "cmp_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The key kept in {@code file}, or a new one written there first (created with mode 0600, never widened). */
    public static String loadOrCreate(Path file) throws IOException {
        if (Files.isRegularFile(file)) {
            String kept = Files.readString(file).trim();
            if (!kept.isEmpty()) {
                return kept;
            }
            Files.delete(file);
        }
        Files.createDirectories(file.getParent());
        String key = generate();
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file); // not a POSIX file system: the platform's default protection
        } catch (FileAlreadyExistsException e) {
            return loadOrCreate(file); // another start won the race
        }
        Files.writeString(file, key + "\n");
        return key;
    }
}
