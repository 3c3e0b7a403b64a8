package io.campanile.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checks fail when the code and the deploy files part ways: each test changes a copy of the repository the way a
 * later commit might (a renamed key, a moved port, a renamed topic) and expects the check to name the drift.
 */
class DriftDetectionTest {
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

    private static void assertReported(List<String> problems, String... fragments) {
        for (String fragment : fragments) {
            assertTrue(
                    problems.stream().anyMatch(p -> p.contains(fragment)),
                    "expected a problem mentioning '" + fragment + "', got " + problems);
        }
    }

    private KubernetesChecks kubernetes(Codebase code) {
        return new KubernetesChecks(code, Manifests.read(copy.resolve(KubernetesManifestsTest.BASE)));
    }

    @Test
    void renamingAKeyInTheCodeIsReportedWhereTheDeployFilesStillUseIt() {
        edit(
                "libs/platform/src/main/java/io/campanile/platform/KafkaConfig.java",
                "String bootstrapServers();",
                "String brokers();");
        Codebase code = Codebase.load(copy);
        assertReported(
                new ComposeChecks(code).environmentNamesAreKeysOfTheService(),
                "CAMPANILE_KAFKA_BOOTSTRAP_SERVERS maps to no configuration key of gateway",
                "CAMPANILE_KAFKA_BOOTSTRAP_SERVERS maps to no configuration key of stage1-worker");
        assertReported(
                kubernetes(code).environmentNamesAreKeysOfTheService(),
                "CAMPANILE_KAFKA_BOOTSTRAP_SERVERS maps to no configuration key of trainer");
    }

    @Test
    void renamingAMappedKeyIsReportedEvenWhenAProfilePropertyStillSetsTheOldName() {
        // application.properties keeps %test.campanile.trainer.mnist-dir, which must not count as declaring the key.
        assertTrue(
                Repo.read(copy.resolve("trainer/src/main/resources/application.properties"))
                        .contains("%test.campanile.trainer.mnist-dir="),
                "the trainer's test profile no longer sets " + "campanile.trainer.mnist-dir: update this test");
        edit(
                "trainer/src/main/java/io/campanile/trainer/config/TrainerConfig.java",
                "String mnistDir();",
                "String dataDir();");
        Codebase code = Codebase.load(copy);
        assertReported(
                new ComposeChecks(code).environmentNamesAreKeysOfTheService(),
                "CAMPANILE_TRAINER_MNIST_DIR maps to no configuration key of trainer");
        assertReported(
                kubernetes(code).environmentNamesAreKeysOfTheService(),
                "CAMPANILE_TRAINER_MNIST_DIR maps to no configuration key of trainer");
        assertReported(
                code.propertiesTheCodeDoesNotRead(),
                "trainer/src/main/resources/application.properties sets %test.campanile.trainer.mnist-dir");
    }

    @Test
    void anUnknownOrMisplacedKeyInADeployFileIsReported() {
        edit("docker-compose.yml", "CAMPANILE_PACKS_DIR: /packs", "CAMPANILE_PACKS_DIRECTORY: /packs");
        edit("deploy/k8s/base/kustomization.yaml", "CAMPANILE_STORAGE_URL=", "CAMPANILE_STORAGE_URI=");
        edit(
                "deploy/k8s/base/kustomization.yaml",
                "QUARKUS_HTTP_BODY_UPLOADS_DIRECTORY=",
                "QUARKUS_HTTP_BODY_UPLOAD_DIRECTORY=");
        edit(
                "deploy/k8s/base/kustomization.yaml",
                "      - QUARKUS_DATASOURCE_USERNAME=storage\n",
                "      - QUARKUS_DATASOURCE_USERNAME=storage\n      - CAMPANILE_KAFKA_WORKER_PARTITIONS=6\n");
        Codebase code = Codebase.load(copy);
        assertReported(
                new ComposeChecks(code).environmentNamesAreKeysOfTheService(),
                "CAMPANILE_PACKS_DIRECTORY maps to no configuration key of text-encoder");
        assertReported(
                kubernetes(code).environmentNamesAreKeysOfTheService(),
                "CAMPANILE_STORAGE_URI maps to no configuration key of gateway",
                "gateway reads campanile.storage.url but CAMPANILE_STORAGE_URL is not set",
                "CAMPANILE_KAFKA_WORKER_PARTITIONS maps to no configuration key of storage",
                "QUARKUS_HTTP_BODY_UPLOAD_DIRECTORY maps to no configuration key of storage");
    }

    @Test
    void aNetworkPolicyRuleWithoutPortsIsReported() {
        edit(
                "deploy/k8s/base/network-policies.yaml",
                "values: [gateway, storage]\n      ports:\n        - protocol: TCP\n          port: 5432\n",
                "values: [gateway, storage]\n");
        assertReported(
                new ClusterPolicyChecks(Codebase.load(copy), Manifests.read(copy.resolve(KubernetesManifestsTest.BASE)))
                        .networkPoliciesLetInOnlyWhatTheServicesNeed(),
                "a policy for postgres has an ingress rule without ports, which opens every port");
    }

    @Test
    void movingAServicePortIsReportedInHealthchecksProbesAndAddresses() {
        edit("storage/src/main/resources/application.properties", "quarkus.http.port=8081", "quarkus.http.port=9081");
        Codebase code = Codebase.load(copy);
        ComposeChecks compose = new ComposeChecks(code);
        assertReported(compose.healthchecksProbeTheReadinessEndpoint(), "storage's healthcheck");
        assertReported(
                compose.addressesPointAtTheServicesThatListenThere(),
                "gateway has campanile.storage.url=http://storage:8081 but storage listens on storage:9081");
        KubernetesChecks k8s = kubernetes(code);
        assertReported(k8s.everyServiceHasADeploymentAServiceAndProbes(), "container port `http` must be 9081");
        assertReported(
                new ClusterPolicyChecks(code, Manifests.read(copy.resolve(KubernetesManifestsTest.BASE)))
                        .networkPoliciesLetInOnlyWhatTheServicesNeed(),
                "policies for storage open ports [8081]");
        assertReported(new DockerfileChecks(code).check("storage", "jvm"), "Dockerfile.jvm must EXPOSE 9081");
    }

    @Test
    void aDockerfileThatCopiesWhatNoBuildProducesIsReported() {
        edit(
                "gateway/src/main/docker/Dockerfile.jvm",
                "COPY --chown=185 gateway/target/quarkus-app/app/ /deployments/app/",
                "COPY --chown=185 gateway/target/gateway-runner.jar /deployments/app/\n"
                        + "COPY storage/target/quarkus-app/app/ /deployments/app/\n"
                        + "COPY deploy/docker/missing.sh /deployments/");
        List<String> problems = new DockerfileChecks(Codebase.load(copy)).check("gateway", "jvm");
        assertReported(
                problems,
                "copies gateway/target/gateway-runner.jar, which .dockerignore leaves out",
                "copies gateway/target/gateway-runner.jar, which does not exist",
                "copies storage/target/quarkus-app/app/: another module's build output",
                "copies deploy/docker/missing.sh, which does not exist");
    }

    @Test
    void movingTheHealthEndpointsIsReportedInTheProbes() {
        edit(
                "stage1-worker/src/main/resources/application.properties",
                "quarkus.http.port=8082",
                "quarkus.http.port=8082\nquarkus.smallrye-health.root-path=/health");
        Codebase code = Codebase.load(copy);
        assertReported(
                new ComposeChecks(code).healthchecksProbeTheReadinessEndpoint(),
                "must probe http://localhost:8082/health/ready");
        assertReported(
                kubernetes(code).everyServiceHasADeploymentAServiceAndProbes(),
                "livenessProbe probes /q/health/live, the service serves /health/live");
    }

    @Test
    void renamingATopicOrConsumerGroupIsReportedInTheScaledObjects() {
        edit(
                "libs/contracts/src/main/java/io/campanile/contracts/Topics.java",
                "\"stage1-requests\"",
                "\"stage1-jobs\"");
        edit(
                "trainer/src/main/resources/application.properties",
                "campanile.worker.group-id=trainer",
                "campanile.worker.group-id=trainers");
        Codebase code = Codebase.load(copy);
        ClusterPolicyChecks policies =
                new ClusterPolicyChecks(code, Manifests.read(copy.resolve(KubernetesManifestsTest.BASE)));
        assertReported(
                policies.workersScaleOnTheirConsumerGroupLagUpToThePartitionCount(),
                "stage1-worker's kafka trigger has topic=stage1-requests, the code says stage1-jobs",
                "trainer's kafka trigger has consumerGroup=trainer, the code says trainers");
    }

    @Test
    void changingThePartitionDefaultIsReportedWhereReplicasAreBounded() {
        edit(
                "deploy/k8s/base/kustomization.yaml",
                "CAMPANILE_KAFKA_WORKER_PARTITIONS=6",
                "CAMPANILE_KAFKA_WORKER_PARTITIONS=12");
        Codebase code = Codebase.load(copy);
        assertReported(
                new ClusterPolicyChecks(code, Manifests.read(copy.resolve(KubernetesManifestsTest.BASE)))
                        .workersScaleOnTheirConsumerGroupLagUpToThePartitionCount(),
                "stage2-worker scales to 6 replicas but its topic has 12 partitions");
    }

    @Test
    void aWorkerTopicWithItsOwnPartitionCountIsReportedWhereReplicasAreBounded() {
        // The trainer's topic leaves the worker layout for a single partition: its replicas must follow.
        edit(
                "libs/contracts/src/main/java/io/campanile/contracts/Topics.java",
                "List.of(TEXT_ENCODE_REQUESTS, STAGE1_REQUESTS, STAGE2_REQUESTS, TRAINING_REQUESTS)",
                "List.of(TEXT_ENCODE_REQUESTS, STAGE1_REQUESTS, STAGE2_REQUESTS)");
        edit(
                "libs/platform/src/main/java/io/campanile/platform/TopicAdmin.java",
                "topics.add(new NewTopic(Topics.JOB_EVENTS,",
                "topics.add(new NewTopic(Topics.TRAINING_REQUESTS, 1, replicationFactor));\n"
                        + "        topics.add(new NewTopic(Topics.JOB_EVENTS,");
        ClusterPolicyChecks policies = new ClusterPolicyChecks(
                Codebase.load(copy), Manifests.read(copy.resolve(KubernetesManifestsTest.BASE)));
        List<String> problems = policies.workersScaleOnTheirConsumerGroupLagUpToThePartitionCount();
        assertReported(problems, "trainer scales to 6 replicas but its topic has 1 partitions");
        assertTrue(problems.stream().noneMatch(p -> p.contains("stage1-worker scales")), problems.toString());
    }

    @Test
    void aPlannedKeyThatLandsIsReportedAsStale() {
        // The allow-list is empty since issues 3-6 landed; this planned key stands in for the next one.
        var planned = java.util.Map.of("stage1-worker", java.util.Set.of("campanile.engine.max-batch-rows"));
        assertEquals(List.of(), PlannedKeysTest.landed(Codebase.load(copy), planned));
        Repo.write(copy.resolve("stage1-worker/src/main/java/io/campanile/stage1/config/EngineConfig.java"), """
                package io.campanile.stage1.config;

                @io.smallrye.config.ConfigMapping(prefix = "campanile.engine")
                public interface EngineConfig {
                    /** Largest UNet batch. */
                    int maxBatchRows();
                }
                """);
        assertEquals(
                List.of("stage1-worker: campanile.engine.max-batch-rows"),
                PlannedKeysTest.landed(Codebase.load(copy), planned));
    }

    @Test
    void aManifestFieldThatThePythonSchemaLacksIsReported() {
        edit("deploy/export/packs.py", "\"text_encoder\", \"upscaler\"}", "\"text_encoder\"}");
        ExportChecks export = new ExportChecks(copy);
        assertReported(
                export.manifestFieldsAreThePackManifestComponents(),
                "deploy/export/packs.py lacks the manifest fields [upscaler] of libs/packs PackManifest");
        if (Python.available()) {
            assertReported(
                    export.shippedManifestsPassTheSchemaAndAreWhatTheExportersWrite(),
                    "FAILED: packs/IF-II-L-v1.0/manifest.json: manifest fields: missing [], unexpected ['upscaler']");
        }
    }

    @Test
    void aStageTwoExportThatIsNotMarkedAsAnUpscalerIsReported() {
        assumeTrue(Python.available(), "no python3 on the PATH");
        edit("deploy/export/export_unet.py", "upscaler=True,", "upscaler=False,");
        assertReported(
                new ExportChecks(copy).shippedManifestsPassTheSchemaAndAreWhatTheExportersWrite(),
                "FAILED: stage 2 (IF-II-L-v1.0): the exporter writes");
    }

    @Test
    void renamingAGraphInputOrAPackFileOnTheJavaSideIsReportedInTheExportScripts() {
        edit(
                "libs/onnx/src/main/java/io/campanile/onnx/inference/UnetSignature.java",
                "STATES = \"encoder_hidden_states\"",
                "STATES = \"text_states\"");
        edit(
                "libs/testpacks/src/main/java/io/campanile/testpacks/TestPacks.java",
                "TEXT_ENCODER_FILE = \"text_encoder.onnx\"",
                "TEXT_ENCODER_FILE = \"t5.onnx\"");
        edit(
                "libs/testpacks/src/main/java/io/campanile/testpacks/TestFunctions.java",
                "T5_WIDTH = 4096",
                "T5_WIDTH = 1024");
        ExportChecks export = new ExportChecks(copy);
        assertReported(
                export.tensorNamesAndTypesAreTheWorkersContract(),
                "deploy/export/export_unet.py declares {sample=float32, timestep=int64, encoder_hidden_states=float32");
        assertReported(
                export.fileNamesShapesAndPackIdsAgreeWithTheJavaSide(),
                "export_text_encoder.py ONNX_FILE is text_encoder.onnx, TestPacks.TEXT_ENCODER_FILE is t5.onnx",
                "packs.py T5_WIDTH is 4096, TestFunctions.T5_WIDTH is 1024",
                "export_unet.py documents T5 states as (B,77,4096), the workers use (B,77,1024)");
    }

    @Test
    void anExportScriptThatDoesNotCompileIsReported() {
        assumeTrue(Python.available(), "no python3 on the PATH");
        edit(
                "deploy/export/check_pack.py",
                "def check(pack: Path, hashes: bool = True) -> None:",
                "def check(pack: Path, hashes: bool = True) -> None");
        assertReported(new ExportChecks(copy).scriptsCompile(), "deploy/export does not compile", "check_pack.py");
    }

    @Test
    void aParityCheckWithTf32IsReported() {
        edit("deploy/export/packs.py", "(name, {\"use_tf32\": \"0\"})", "name");
        edit(
                "deploy/export/export_unet.py",
                "    packs.disable_tf32()\n    spec = STAGES[stage]",
                "    spec = STAGES[stage]");
        ExportChecks export = new ExportChecks(copy);
        assertReported(
                export.exportersComputeTheirReferenceWithoutTf32(),
                "export_unet.py: export_pack must call packs.disable_tf32()");
        if (Python.available()) {
            assertReported(export.parityRunsOnnxRuntimeAndPyTorchWithoutTf32(), "FAILED: parity with providers");
        }
    }

    @Test
    void initScriptsMountedWithTheDefaultModeAreReported() {
        edit("deploy/k8s/base/postgres.yaml", "            defaultMode: 365\n", "");
        assertReported(
                kubernetes(Codebase.load(copy)).initScriptsAreExecutableAndReadOnly(),
                "postgres: the ConfigMap volume initdb holds init scripts and needs defaultMode: 365 (0555), has none");
    }

    @Test
    void aSecretWrittenIntoTheComposeFileIsReported() {
        edit(
                "docker-compose.yml",
                "QUARKUS_DATASOURCE_PASSWORD: ${STORAGE_DB_PASSWORD:?set STORAGE_DB_PASSWORD in "
                        + ".env (see .env.example)}",
                "QUARKUS_DATASOURCE_PASSWORD: hunter2");
        assertReported(
                new ComposeChecks(Codebase.load(copy)).noSecretIsWrittenInTheFiles(),
                "storage.QUARKUS_DATASOURCE_PASSWORD must be only a required variable");
    }
}
