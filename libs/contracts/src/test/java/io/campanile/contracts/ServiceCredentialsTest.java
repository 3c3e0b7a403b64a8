package io.campanile.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ServiceCredentialsTest {
    private static final String SECRET = "test-secret-of-at-least-32-characters";

    @Test
    void aTokenIsTheServiceAndItsHmacInBase64Url() {
        // The same value as: printf gateway | openssl dgst -sha256 -hmac "$secret" -binary | base64 | tr '+/' '-_'
        // | tr -d =, which is how deploy/k8s/create-secrets.sh derives the tokens.
        assertEquals(
                "gateway.wEnYKDvUhSjviXy_ITFkCFoSvMPQoSTchFvTVDWcv7s", ServiceCredentials.token(SECRET, "gateway"));
    }

    @Test
    void storageRecomputesTheMacToLearnWhoCalls() {
        String token = ServiceCredentials.token(SECRET, "text-encoder");
        assertEquals(Optional.of("text-encoder"), ServiceCredentials.verify(SECRET, token));
    }

    @Test
    void aForgedOrForeignTokenNamesNoOne() {
        String trainer = ServiceCredentials.token(SECRET, "trainer");
        String mac = trainer.substring(trainer.indexOf('.') + 1);
        assertEquals(Optional.empty(), ServiceCredentials.verify(SECRET, "text-encoder." + mac), "a renamed token");
        assertEquals(Optional.empty(), ServiceCredentials.verify(SECRET, trainer + "x"));
        assertEquals(Optional.empty(), ServiceCredentials.verify(SECRET, "trainer"));
        assertEquals(Optional.empty(), ServiceCredentials.verify(SECRET, ""));
        assertEquals(Optional.empty(), ServiceCredentials.verify(SECRET, null));
        assertEquals(Optional.empty(), ServiceCredentials.verify(SECRET, "Trainer." + mac));
        String other = ServiceCredentials.newSecret();
        assertEquals(Optional.empty(), ServiceCredentials.verify(other, trainer), "made with another secret");
    }

    @Test
    void secretsAreRandomAndLongEnough() {
        String a = ServiceCredentials.newSecret();
        assertEquals(43, a.length());
        assertNotEquals(a, ServiceCredentials.newSecret());
        var e = assertThrows(IllegalArgumentException.class, () -> ServiceCredentials.token("short", "gateway"));
        assertEquals("the service secret must be at least 32 characters", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ServiceCredentials.token(SECRET, "no.dots"));
    }
}
