package io.campanile.deploy;

import static io.campanile.deploy.Problems.assertNone;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * deploy/k8s/base against the services' code, read without kustomize (resources plus generated ConfigMaps), so the
 * checks run everywhere; {@link KustomizeOverlaysTest} runs the same checks on the rendered overlays.
 */
class KubernetesManifestsTest {
    static final Path BASE = Path.of("deploy/k8s/base");
    private static KubernetesChecks workloads;
    private static ClusterPolicyChecks policies;

    @BeforeAll
    static void load() {
        Codebase code = Codebase.load(Repo.root());
        Manifests base = Manifests.read(code.root.resolve(BASE));
        workloads = new KubernetesChecks(code, base);
        policies = new ClusterPolicyChecks(code, base);
    }

    @Test
    void everyManifestParsesAndBelongsToAKustomization() throws IOException {
        Path k8s = Repo.root().resolve("deploy/k8s");
        Set<Path> referenced = new TreeSet<>();
        List<Path> yamls = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        try (Stream<Path> files = Files.walk(k8s)) {
            files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
                    .forEach(yamls::add);
        }
        for (Path f : yamls) {
            try {
                Yamls.loadAll(f);
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
            if (f.getFileName().toString().equals("kustomization.yaml")) {
                referenced.add(f);
                var k = Yamls.load(f);
                for (String field : List.of("resources", "patches", "configMapGenerator")) {
                    for (Object entry : Yamls.list(k.get(field))) {
                        Object path = entry instanceof String ? entry : Yamls.at(entry, "path");
                        if (path != null) {
                            referenced.add(
                                    f.getParent().resolve(String.valueOf(path)).normalize());
                        }
                        Yamls.list(Yamls.at(entry, "files"))
                                .forEach(x -> referenced.add(
                                        f.getParent().resolve(String.valueOf(x)).normalize()));
                    }
                }
            }
        }
        for (Path f : referenced) {
            if (!Files.exists(f)) {
                problems.add(k8s.relativize(f) + " is referenced by a kustomization but does not exist");
            }
        }
        for (Path f : yamls) {
            if (!referenced.contains(f)) {
                problems.add(k8s.relativize(f) + " belongs to no kustomization");
            }
        }
        assertNone(problems);
    }

    @Test
    void everyServiceHasADeploymentAServiceAndProbesOnItsHealthEndpoints() {
        assertNone(workloads.everyServiceHasADeploymentAServiceAndProbes());
    }

    @Test
    void everyServiceIsScrapedByPrometheusOnItsHttpPort() {
        assertNone(workloads.everyServiceIsScrapedOnItsHttpPort());
    }

    @Test
    void environmentNamesAreConfigurationKeysOfTheService() {
        assertNone(workloads.environmentNamesAreKeysOfTheService());
    }

    @Test
    void addressesPointAtTheServicesThatListenThere() {
        assertNone(workloads.addressesPointAtTheServicesThatListenThere());
    }

    @Test
    void containersRunAsNonRootWithWhatTheSettingsPointAtMounted() {
        assertNone(workloads.containersRunAsNonRootWithWhatTheSettingsPointAtMounted());
    }

    @Test
    void initScriptsAreExecutableAndReadOnly() {
        assertNone(workloads.initScriptsAreExecutableAndReadOnly());
    }

    @Test
    void workersScaleOnTheirConsumerGroupLagUpToThePartitionCount() {
        assertNone(policies.workersScaleOnTheirConsumerGroupLagUpToThePartitionCount());
    }

    @Test
    void everyServiceHasADisruptionBudgetThatAllowsDrains() {
        assertNone(policies.everyServiceHasADisruptionBudgetThatAllowsDrains());
    }

    @Test
    void networkPoliciesLetInOnlyWhatTheServicesNeed() {
        assertNone(policies.networkPoliciesLetInOnlyWhatTheServicesNeed());
    }
}
