package io.campanile.deploy;

import static io.campanile.deploy.Problems.assertNone;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The overlays. Their own files are checked everywhere; the rendered output (every check of
 * {@link KubernetesManifestsTest} plus what the overlay promises) where {@code kubectl} is installed, since kustomize
 * itself does the rendering. Without kubectl those tests are skipped, not passed.
 */
class KustomizeOverlaysTest {
    static final Path OVERLAYS = Path.of("deploy/k8s/overlays");
    private static Codebase code;
    private static Manifests base;

    @BeforeAll
    static void load() {
        code = Codebase.load(Repo.root());
        base = Manifests.read(code.root.resolve(KubernetesManifestsTest.BASE));
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu"})
    void overlaySettingsAreKeysOfTheServicesThatReceiveThem(String overlay) {
        Map<String, Object> k =
                Yamls.load(code.root.resolve(OVERLAYS).resolve(overlay).resolve("kustomization.yaml"));
        List<String> problems = new ArrayList<>();
        for (Object g : Yamls.list(k.get("configMapGenerator"))) {
            Map<String, Object> gen = Yamls.map(g);
            String name = Yamls.str(gen.get("name"));
            List<String> consumers = consumersOf(name);
            if (consumers.isEmpty()) {
                problems.add(overlay + ": generator " + name + " is not a ConfigMap of the base that a service reads");
            }
            for (String env : Manifests.literals(gen).keySet()) {
                for (String service : consumers) {
                    KeyRules.check(code.service(service), env).ifPresent(p -> problems.add(overlay + ": " + p));
                }
            }
        }
        for (Object image : Yamls.list(k.get("images"))) {
            String name = Yamls.str(Yamls.at(image, "name"));
            boolean used = base.ofKind("Deployment").stream()
                    .flatMap(d -> Yamls.list(Yamls.at(d, "spec", "template", "spec", "containers")).stream())
                    .anyMatch(c -> String.valueOf(Yamls.at(c, "image")).startsWith(name + ":"));
            if (!used) {
                problems.add(overlay + ": image " + name + " is used by no Deployment of the base");
            }
        }
        assertNone(problems);
    }

    @Test
    void theGpuPatchTargetsExactlyTheOnnxWorkers() {
        Map<String, Object> k = Yamls.load(code.root.resolve(OVERLAYS).resolve("gpu/kustomization.yaml"));
        List<String> problems = new ArrayList<>();
        for (Object patch : Yamls.list(k.get("patches"))) {
            String selector = Yamls.str(Yamls.at(patch, "target", "labelSelector"));
            String[] kv = selector == null ? new String[] {"", ""} : selector.split("=");
            List<String> targets = base.ofKind("Deployment").stream()
                    .filter(d -> kv[1].equals(Yamls.str(Yamls.at(d, "metadata", "labels", kv[0]))))
                    .map(Manifests::nameOf)
                    .sorted()
                    .toList();
            if (!targets.equals(Topology.ONNX.stream().sorted().toList())) {
                problems.add("gpu patch " + Yamls.at(patch, "path") + " selects " + targets + ", not " + Topology.ONNX);
            }
        }
        assertNone(problems);
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu"})
    void renderedOverlayPassesEveryManifestCheck(String overlay) {
        Manifests m = render(overlay);
        KubernetesChecks w = new KubernetesChecks(code, m);
        ClusterPolicyChecks c = new ClusterPolicyChecks(code, m);
        assertNone(Stream.of(
                        w.everyServiceHasADeploymentAServiceAndProbes(),
                        w.environmentNamesAreKeysOfTheService(),
                        w.addressesPointAtTheServicesThatListenThere(),
                        w.containersRunAsNonRootWithWhatTheSettingsPointAtMounted(),
                        w.initScriptsAreExecutableAndReadOnly(),
                        c.workersScaleOnTheirConsumerGroupLagUpToThePartitionCount(),
                        c.everyServiceHasADisruptionBudgetThatAllowsDrains(),
                        c.networkPoliciesLetInOnlyWhatTheServicesNeed())
                .flatMap(List::stream)
                .toList());
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu"})
    void renderedOverlayGivesGpusToTheOnnxWorkersOnlyWhereItShould(String overlay) {
        Manifests m = render(overlay);
        KubernetesChecks w = new KubernetesChecks(code, m);
        boolean gpu = overlay.equals("gpu");
        Problems p = new Problems();
        for (String name : Topology.SERVICES) {
            Map<String, Object> d = m.find("Deployment", name).orElseThrow();
            Map<String, Object> c = Manifests.container(d, name);
            boolean wantsGpu = gpu && Topology.ONNX.contains(name);
            String limit = Yamls.str(Yamls.at(c, "resources", "limits", "nvidia.com/gpu"));
            p.check(
                    wantsGpu ? "1".equals(limit) : limit == null,
                    overlay + ": " + name + " has nvidia.com/gpu limit " + limit);
            p.check(
                    String.valueOf(c.get("image")).startsWith("campanile/" + name + (wantsGpu ? "-gpu:" : ":")),
                    overlay + ": " + name + " runs " + c.get("image"));
            if (Topology.ONNX.contains(name)) {
                String provider = w.env(name).get(KeyRules.env("campanile.onnx.execution-provider"));
                p.check((gpu ? "cuda" : "cpu").equals(provider), overlay + ": " + name + " uses provider " + provider);
                p.check(
                        !wantsGpu
                                || Yamls.list(Yamls.at(d, "spec", "template", "spec", "tolerations")).stream()
                                        .anyMatch(t -> "nvidia.com/gpu".equals(Yamls.at(t, "key"))),
                        overlay + ": " + name + " does not tolerate the nvidia.com/gpu taint");
            }
        }
        assertNone(p.list());
    }

    private static Manifests render(String overlay) {
        assumeTrue(Manifests.kubectlAvailable(), "kubectl is not installed: rendered overlays not checked");
        return Manifests.render(code.root.resolve(OVERLAYS).resolve(overlay)).orElseThrow();
    }

    /** Services whose Deployment in the base reads the ConfigMap. */
    private static List<String> consumersOf(String configMap) {
        return Topology.SERVICES.stream()
                .filter(s -> base.find("Deployment", s)
                        .map(d -> Yamls.list(Yamls.at(Manifests.container(d, s), "envFrom")).stream()
                                .anyMatch(f -> configMap.equals(Yamls.at(f, "configMapRef", "name"))))
                        .orElse(false))
                .toList();
    }
}
