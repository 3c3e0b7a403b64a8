package io.campanile.deploy;

import static io.campanile.deploy.Problems.assertNone;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** docker-compose.yml and deploy/compose/cpu.yml against the services' code (no Docker needed). */
class ComposeFileTest {
    private static ComposeChecks checks;

    @BeforeAll
    static void load() {
        checks = new ComposeChecks(Codebase.load(Repo.root()));
    }

    @Test
    void everyServiceIsBuiltFromItsDockerfile() {
        assertNone(checks.everyServiceIsBuiltFromItsDockerfile());
    }

    @Test
    void environmentNamesAreConfigurationKeysOfTheService() {
        assertNone(checks.environmentNamesAreKeysOfTheService());
    }

    @Test
    void addressesPointAtTheServicesThatListenThere() {
        assertNone(checks.addressesPointAtTheServicesThatListenThere());
    }

    @Test
    void healthchecksProbeTheReadinessEndpointOnTheServicePort() {
        assertNone(checks.healthchecksProbeTheReadinessEndpoint());
    }

    @Test
    void servicesWaitForHealthyDependencies() {
        assertNone(checks.dependenciesWaitUntilHealthy());
    }

    @Test
    void gpuWorkersReserveAGpuAndEveryWorkerCanBeScaled() {
        assertNone(checks.gpuWorkersReserveAGpuAndEveryWorkerScales());
    }

    @Test
    void noSecretIsWrittenInTheFilesAndEnvExampleListsEveryVariable() {
        assertNone(checks.noSecretIsWrittenInTheFiles());
    }

    @Test
    void volumesAreMountedWhereTheSettingsPoint() {
        assertNone(checks.volumesHoldWhatTheSettingsPointAt());
    }

    @Test
    void cpuOverrideRunsTheOnnxWorkersOnJvmImages() {
        assertNone(checks.cpuOverrideRunsTheOnnxWorkersOnJvmImages());
    }
}
