package io.campanile.deploy;

import static io.campanile.deploy.Problems.assertNone;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The images: one JVM Dockerfile per service, a GPU one per ONNX service, built from what Maven produces. */
class DockerfilesTest {
    private static DockerfileChecks checks;

    @BeforeAll
    static void load() {
        checks = new DockerfileChecks(Codebase.load(Repo.root()));
    }

    @Test
    void everyServiceHasAJvmImageAndEveryOnnxServiceAGpuImage() {
        assertNone(checks.everyServiceHasItsImages());
    }

    @Test
    void dockerfilesCopyOnlyTheirServicesBuildOutputAndExposeItsPort() {
        List<String> problems = new ArrayList<>();
        for (String service : Topology.SERVICES) {
            problems.addAll(checks.check(service, "jvm"));
            problems.addAll(checks.check(service, "gpu"));
        }
        assertNone(problems);
    }

    @Test
    void theGpuProfileSwitchesOnnxRuntimeToItsCudaBuild() {
        assertNone(checks.gpuProfileSwitchesOnnxRuntime());
    }

    @Test
    void dockerignoreKeepsOnlyTheFastJarsInTheContext() {
        DockerIgnore ignore = new DockerIgnore(Repo.read(Repo.root().resolve(".dockerignore")));
        assertFalse(ignore.excludes("gateway/target/quarkus-app/lib/main/x.jar"));
        assertFalse(ignore.excludes("stage1-worker/target/quarkus-app/quarkus-run.jar"));
        assertTrue(ignore.excludes(".git/config"));
        assertTrue(ignore.excludes(".env"));
        assertTrue(
                ignore.excludes(".campanile/packs/IF-I-XL-v1.0/unet.onnx.data"), "model packs are mounted, not baked");
        assertTrue(ignore.excludes("gateway/src/main/java/io/campanile/gateway/api/ApiProblem.java"));
        assertTrue(ignore.excludes("gateway/target/classes/application.properties"));
    }
}
