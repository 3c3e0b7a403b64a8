package io.campanile.deploy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The credential checks fail when a later commit hands a credential to the wrong service or ships a password. */
class CredentialDriftTest {
    @TempDir
    Path tmp;

    private Path copy;

    @BeforeEach
    void copyRepository() {
        copy = Repo.copy(Repo.root(), tmp.resolve("repo"));
    }

    private void edit(String file, String from, String to) {
        Path p = copy.resolve(file);
        String text = Repo.read(p);
        assertTrue(text.contains(from), file + " no longer contains " + from + ": update this test");
        Repo.write(p, text.replace(from, to));
    }

    private static void assertReported(List<String> problems, String fragment) {
        assertTrue(
                problems.stream().anyMatch(p -> p.contains(fragment)),
                "expected a problem mentioning '" + fragment + "', got " + problems);
    }

    @Test
    void aWorkerGivenTheServiceSecretOrAnotherServicesTokenIsReported() {
        edit(
                "docker-compose.yml",
                "CAMPANILE_SERVICE_TOKEN: ${TRAINER_SERVICE_TOKEN:?",
                "CAMPANILE_STORAGE_SERVICE_SECRET: ${SERVICE_SECRET:?");
        edit("deploy/k8s/base/stage2-worker.yaml", "key: stage2-worker-token", "key: gateway-token");
        Codebase code = Codebase.load(copy);
        CredentialChecks checks = new CredentialChecks(code);
        assertReported(
                checks.composeGivesEachServiceOnlyItsOwnCredential(Compose.load(copy.resolve(ComposeChecks.FILE))),
                "trainer is given CAMPANILE_STORAGE_SERVICE_SECRET");
        assertReported(
                checks.kubernetesGivesEachServiceOnlyItsOwnCredential(
                        Manifests.read(copy.resolve(KubernetesManifestsTest.BASE))),
                "stage2-worker reads [CAMPANILE_SERVICE_TOKEN=gateway-token] of Secret campanile-services");
    }

    @Test
    void kafkaOnTheDefaultNetworkOrAPasswordInTheProductionProfileIsReported() {
        edit(
                "docker-compose.yml",
                "  kafka:\n    <<: *service\n    networks: [backend]\n",
                "  kafka:\n    <<: *service\n");
        edit(
                "storage/src/main/resources/application.properties",
                "%dev.quarkus.datasource.password=postgres",
                "quarkus.datasource.password=postgres");
        CredentialChecks checks = new CredentialChecks(Codebase.load(copy));
        assertReported(
                checks.composeKeepsKafkaAndPostgresOnAnInternalNetwork(Compose.load(copy.resolve(ComposeChecks.FILE))),
                "kafka must be on internal networks only, is on [backend, default]");
        assertReported(
                checks.noCredentialShipsInAProductionProfile(),
                "storage/src/main/resources/application.properties sets quarkus.datasource.password outside");
    }
}
