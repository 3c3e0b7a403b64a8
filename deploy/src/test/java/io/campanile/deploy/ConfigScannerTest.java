package io.campanile.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The reader of configuration keys that every deploy check relies on. */
class ConfigScannerTest {

    @Test
    void readsKebabCaseKeysWithDefaultsFromTheRealKafkaMapping() {
        Codebase code = Codebase.load(Repo.root());
        KeySet gateway = code.service("gateway").keys();
        assertTrue(
                gateway.keys()
                        .containsAll(Set.of(
                                "campanile.kafka.bootstrap-servers",
                                "campanile.kafka.worker-partitions",
                                "campanile.kafka.event-partitions",
                                "campanile.kafka.replication-factor",
                                "campanile.storage.url",
                                "campanile.gateway.max-image-bytes",
                                "quarkus.datasource.jdbc.url")),
                gateway.toString());
        assertEquals(Optional.of("6"), gateway.defaultOf("campanile.kafka.worker-partitions"));
        assertFalse(gateway.contains("campanile.kafka.topic-admin"), "default methods are not keys");
        assertFalse(
                code.service("storage").keys().contains("campanile.kafka.bootstrap-servers"),
                "storage does not depend on the platform library");
    }

    @Test
    void applicationPropertiesSetOnlyCampanileKeysThatTheCodeDeclares() {
        Problems.assertNone(Codebase.load(Repo.root()).propertiesTheCodeDoesNotRead());
    }

    @Test
    void aProfilePropertyDoesNotDeclareACampanileKey() {
        Codebase code = Codebase.load(Repo.root());
        KeySet trainer = code.service("trainer").keys();
        assertTrue(trainer.contains("campanile.trainer.mnist-dir"), "TrainerConfig.mnistDir() declares it");
        assertTrue(trainer.contains("quarkus.http.test-port"), "Quarkus keys count from application.properties");
        assertFalse(trainer.keys().stream().anyMatch(k -> k.startsWith("%")), trainer.toString());
        KeySet mapped = JavaConfigScanner.scanSources("""
                @io.smallrye.config.ConfigMapping(prefix = "campanile.trainer")
                interface TrainerConfig { String dataDir(); }
                """);
        assertTrue(mapped.coveredByMapping("campanile.trainer.mnist-dir"));
        assertFalse(mapped.contains("campanile.trainer.mnist-dir"));
    }

    @Test
    void readsEachTopicsPartitionCountFromTheTopicAdminLayout() {
        Codebase code = Codebase.load(Repo.root());
        assertEquals(java.util.List.of(), code.topicLayout.problems());
        for (String worker : Topology.WORKER_TOPIC_CONSTANTS.keySet()) {
            assertEquals(
                    Optional.of("campanile.kafka.worker-partitions"),
                    code.topicLayout.partitionsOf(code.topicOf(worker)),
                    worker);
        }
        assertEquals(Optional.of("campanile.kafka.event-partitions"), code.topicLayout.partitionsOf("job-events"));
        assertEquals(Optional.of("1"), code.topicLayout.partitionsOf("dead-letters"));
        assertEquals(Optional.empty(), code.topicLayout.partitionsOf("no-such-topic"));
    }

    @Test
    void followsGroupsNamesMapsAndSkipsWhatIsNotAKey() {
        String mapping = """
                package x;
                import io.smallrye.config.*;
                /** Not a key: interface Ignored { String nope(); } */
                @ConfigMapping(prefix = "campanile.demo")
                public interface DemoConfig {
                    String NOT_A_KEY = "constant";
                    // String commentedOut();
                    @WithDefault("cpu") @WithName("provider") String executionProvider();
                    Optional<Integer> deviceId();
                    Onnx onnx();
                    @WithParentName Flat flat();
                    Map<String, String> headers();
                    default int derived() { return 1; }
                    interface Onnx {
                        int intraOpThreads();
                        String jdbcURL();
                    }
                }
                """;
        String flat = "package x; interface Flat { boolean enabled(); }";
        String property = "class Y { @ConfigProperty(name = \"campanile.other.key\", defaultValue = \"1\") int v; }";
        KeySet keys = JavaConfigScanner.scanSources(mapping, flat, property);
        assertEquals(
                Set.of(
                        "campanile.demo.provider",
                        "campanile.demo.device-id",
                        "campanile.demo.onnx.intra-op-threads",
                        "campanile.demo.onnx.jdbc-url",
                        "campanile.demo.enabled",
                        "campanile.other.key"),
                keys.keys());
        assertEquals(Set.of("campanile.demo.headers."), keys.prefixes());
        assertEquals(Optional.of("cpu"), keys.defaultOf("campanile.demo.provider"));
        assertEquals(Optional.of("campanile.demo.headers.*"), keys.keyForEnv("CAMPANILE_DEMO_HEADERS_X_TRACE"));
    }

    @Test
    void namesKeysLikeSmallRye() {
        assertEquals("bootstrap-servers", JavaConfigScanner.kebab("bootstrapServers"));
        assertEquals("intra-op-threads", JavaConfigScanner.kebab("intraOpThreads"));
        assertEquals("jdbc-url-value", JavaConfigScanner.kebab("jdbcURLValue"));
        assertEquals("CAMPANILE_KAFKA_BOOTSTRAP_SERVERS", KeyRules.env("campanile.kafka.bootstrap-servers"));
        assertEquals(
                "QUARKUS_LOG_CATEGORY__ORG_APACHE_KAFKA__LEVEL",
                KeyRules.env("quarkus.log.category.\"org.apache.kafka\".level"));
    }

    @Test
    void acceptsOnlyKeysOfTheServiceKnownQuarkusKeysAndPlannedKeys() {
        Codebase code = Codebase.load(Repo.root());
        Service storage = code.service("storage");
        Service worker = code.service("stage1-worker");
        assertEquals(Optional.empty(), KeyRules.check(storage, "QUARKUS_DATASOURCE_PASSWORD"));
        assertEquals(Optional.empty(), KeyRules.check(storage, "QUARKUS_HTTP_BODY_UPLOADS_DIRECTORY"));
        assertTrue(KeyRules.check(storage, "QUARKUS_HTTP_BODY_UPLOAD_DIRECTORY").isPresent(), "typo");
        assertTrue(KeyRules.check(storage, "QUARKUS_HTTP_PORTS").isPresent(), "no such Quarkus key");
        assertTrue(KeyRules.check(worker, "QUARKUS_LOG_LEVELS").isPresent(), "no such Quarkus key");
        assertTrue(KeyRules.check(storage, "QUARKUS_DATASOURCE_JDBC_URLS").isPresent(), "no such Quarkus key");
        assertEquals(Optional.empty(), KeyRules.check(storage, "QUARKUS_DATASOURCE_JDBC_URL"));
        assertTrue(KeyRules.check(worker, "QUARKUS_DATASOURCE_PASSWORD").isPresent(), "workers have no database");
        assertTrue(KeyRules.check(storage, "CAMPANILE_KAFKA_BOOTSTRAP_SERVERS").isPresent(), "storage has no Kafka");
        assertEquals(Optional.empty(), KeyRules.check(worker, "CAMPANILE_PACKS_DIR"), "planned");
        assertTrue(KeyRules.check(worker, "CAMPANILE_PACKS_DIRECTORY").isPresent(), "not planned");
        assertTrue(KeyRules.check(worker, "CAMPANILE_KAFKA_BOOTSTRAP_SERVER").isPresent(), "typo");
        assertTrue(KeyRules.check(worker, "SOME_RANDOM_VARIABLE").isPresent());
    }

    @Test
    void everyKnownQuarkusKeyIsOneADeployFileSets() {
        Path root = Repo.root();
        StringBuilder deployFiles = new StringBuilder(Repo.read(root.resolve(ComposeChecks.FILE)))
                .append(Repo.read(root.resolve(ComposeChecks.CPU_OVERRIDE)));
        try (Stream<Path> files = Files.walk(root.resolve("deploy/k8s"))) {
            files.filter(Files::isRegularFile).forEach(f -> deployFiles.append(Repo.read(f)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String key : KeyRules.QUARKUS_KEYS) {
            assertTrue(
                    deployFiles.toString().contains(KeyRules.env(key)),
                    key + " is in KeyRules.QUARKUS_KEYS but no deploy file sets " + KeyRules.env(key) + ": remove it");
        }
    }

    @Test
    void computesHealthPathsAndPortLikeQuarkus() {
        java.util.Properties p = new java.util.Properties();
        assertEquals(
                new HealthPaths(8082, "/q/health/live", "/q/health/ready", "/q/health/started"),
                HealthPaths.of(p, 8082));
        p.setProperty("quarkus.http.root-path", "/api");
        p.setProperty("quarkus.smallrye-health.readiness-path", "/ready");
        assertEquals(
                new HealthPaths(8082, "/api/q/health/live", "/ready", "/api/q/health/started"),
                HealthPaths.of(p, 8082));
        p.setProperty("quarkus.management.enabled", "true");
        assertEquals(9000, HealthPaths.of(p, 8082).port());
        assertEquals("/q/health/live", HealthPaths.of(p, 8082).live());
    }
}
