package io.campanile.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceSecretTest {
    @TempDir
    Path dir;

    @Test
    void theSecretIsMadeOnceReadableByItsOwnerOnlyAndKept() throws Exception {
        Path data = dir.resolve("stack");
        String secret = ServiceSecret.loadOrCreate(data);
        Path file = data.resolve(ServiceSecret.FILE);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(43, secret.length());
        assertEquals(secret, ServiceSecret.loadOrCreate(data), "a restarted stack keeps its secret");
        assertNotEquals(secret, ServiceSecret.loadOrCreate(dir.resolve("other")), "each stack has its own");
        try (var files = Files.list(data)) {
            assertEquals(1, files.count(), "no part file is left behind");
        }
    }
}
