package io.campanile.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local stack's admin key: its shape, its file (mode 0600), and that later starts reuse it. */
class LocalKeysTest {
    @Test
    void aKeyIsCmpAnd43Base64UrlCharacters() {
        String a = LocalKeys.generate();
        assertTrue(a.matches("cmp_[A-Za-z0-9_-]{43}"), a);
        assertNotEquals(a, LocalKeys.generate());
    }

    @Test
    void theFirstStartWritesTheKeyOwnerOnlyAndLaterStartsReuseIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve(".campanile").resolve("api-key");
        String first = LocalKeys.loadOrCreate(file);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(first + "\n", Files.readString(file));
        assertEquals(first, LocalKeys.loadOrCreate(file), "a later start reuses the key");
    }
}
