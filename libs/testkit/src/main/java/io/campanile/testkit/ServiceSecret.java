package io.campanile.testkit;

import io.campanile.contracts.ServiceCredentials;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The local stack's service secret (docs/adr/0017): random, made on the stack's first start and kept in its data
 * folder ({@code .campanile/service-secret} for {@code ./campanile up}, a temporary folder for tests), readable by its
 * owner only. Storage gets the secret; every other service only its own token derived from it.
 */
final class ServiceSecret {
    static final String FILE = "service-secret";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private ServiceSecret() {}

    /** The secret in {@code dataDir}, made (mode 0600) when there is none yet. */
    static String loadOrCreate(Path dataDir) throws IOException {
        Path file = dataDir.resolve(FILE);
        if (Files.isRegularFile(file)) {
            return Files.readString(file).strip();
        }
        Files.createDirectories(dataDir);
        // Written whole under another name, then moved: the file is never seen half written or with wider rights.
        Path part = Files.createTempFile(dataDir, FILE, ".part", PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        String secret = ServiceCredentials.newSecret();
        Files.writeString(part, secret + "\n");
        Files.move(part, file, StandardCopyOption.ATOMIC_MOVE);
        return secret;
    }
}
