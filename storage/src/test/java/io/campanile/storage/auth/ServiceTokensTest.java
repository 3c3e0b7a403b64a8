package io.campanile.storage.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.campanile.contracts.ServiceCredentials;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ServiceTokensTest {
    @Test
    void aShortSecretStopsStorageNamingTheKey() {
        var e = assertThrows(IllegalArgumentException.class, () -> new ServiceTokens(() -> "postgres"));
        assertEquals(
                "campanile.storage.service-secret: the service secret must be at least 32 characters", e.getMessage());
    }

    @Test
    void tokensDerivedFromTheSecretNameTheirService() {
        String secret = ServiceCredentials.newSecret();
        ServiceTokens tokens = new ServiceTokens(() -> secret + "\n");
        assertEquals(Optional.of("gateway"), tokens.verify(ServiceCredentials.token(secret, "gateway")));
        assertEquals(Optional.empty(), tokens.verify(ServiceCredentials.token(ServiceCredentials.newSecret(), "x")));
    }
}
