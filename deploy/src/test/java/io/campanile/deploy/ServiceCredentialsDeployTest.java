package io.campanile.deploy;

import static io.campanile.deploy.Problems.assertNone;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Service credentials, passwords and the reach of Kafka in the deploy files (docs/adr/0017; no Docker needed). */
class ServiceCredentialsDeployTest {
    private static Codebase code;
    private static CredentialChecks checks;

    @BeforeAll
    static void load() {
        code = Codebase.load(Repo.root());
        checks = new CredentialChecks(code);
    }

    @Test
    void storageReadsTheSecretAndEveryOtherServiceItsToken() {
        assertNone(checks.theCodeReadsTheCredentials());
    }

    @Test
    void composeGivesStorageTheSecretAndEachServiceOnlyItsOwnToken() {
        assertNone(checks.composeGivesEachServiceOnlyItsOwnCredential(
                Compose.load(code.root.resolve(ComposeChecks.FILE))));
    }

    @Test
    void composeKeepsKafkaAndPostgresOnAnInternalNetwork() {
        assertNone(checks.composeKeepsKafkaAndPostgresOnAnInternalNetwork(
                Compose.load(code.root.resolve(ComposeChecks.FILE))));
    }

    @Test
    void kubernetesGivesStorageTheSecretAndEachServiceOnlyItsOwnToken() {
        Manifests base = Manifests.read(code.root.resolve(KubernetesManifestsTest.BASE));
        assertNone(checks.kubernetesGivesEachServiceOnlyItsOwnCredential(base));
        List<String> tokens =
                CredentialChecks.tokensCreated(Repo.read(code.root.resolve(KubernetesChecks.CREATE_SECRETS)));
        assertEquals(
                Topology.SERVICES.stream()
                        .filter(s -> !s.equals("storage"))
                        .sorted()
                        .toList(),
                tokens.stream().sorted().toList(),
                KubernetesChecks.CREATE_SECRETS + " must derive a token for every service but storage");
    }

    @Test
    void noPasswordSecretOrTokenShipsInAProductionProfile() {
        assertNone(checks.noCredentialShipsInAProductionProfile());
    }

    @Test
    void devAndTestTokensAreDerivedFromStoragesDevAndTestSecret() {
        assertNone(checks.devAndTestTokensMatchStoragesSecret());
    }

    /** The deploy scripts derive tokens with openssl; storage checks them with contracts' ServiceCredentials. */
    @Test
    void theDeployScriptsDeriveTheTokensStorageAccepts() throws Exception {
        Path script = code.root.resolve("deploy/service-token.sh");
        String secret = "a-secret-of-at-least-thirty-two-characters";
        Process p;
        try {
            p = new ProcessBuilder("sh", script.toString(), "text-encoder").start();
        } catch (IOException e) {
            assumeTrue(false, "no sh: " + e.getMessage());
            return;
        }
        p.getOutputStream().write(secret.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assumeTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "openssl is not available");
        assertEquals(CredentialChecks.token(secret, "text-encoder"), out);
    }
}
