package io.campanile.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When {@code ./campanile} builds: the real script in a small git repository laid out like this one, with stand-ins
 * for {@code mvnw} (it logs its arguments and leaves the build's outputs) and {@code java} (it logs and exits). A
 * start of an unchanged checkout builds nothing, whatever the timestamps say; a changed, added or staged source
 * rebuilds; the CLI is built on its own only when its sources changed.
 */
class CampanileScriptTest {
    private static final Path ROOT =
            Path.of(System.getProperty("campanile.root", "..")).toAbsolutePath().normalize();
    private static final List<String> OUTPUTS = List.of(
            "gateway/target/quarkus-app/quarkus-run.jar",
            "libs/testkit/target/classpath.txt",
            "bench/target/classpath.txt",
            "chaos/target/classpath.txt",
            "cli/target/cli.jar",
            "cli/target/classpath.txt");

    @TempDir
    Path repo;

    private Path builds;

    @BeforeEach
    void aRepositoryWithStandIns() throws Exception {
        Files.copy(ROOT.resolve("campanile"), repo.resolve("campanile"));
        builds = repo.resolve("builds.log");
        StringBuilder mvnw = new StringBuilder("#!/usr/bin/env bash\necho \"$*\" >> '" + builds + "'\n");
        for (String out : OUTPUTS) {
            mvnw.append("mkdir -p \"$(dirname '")
                    .append(out)
                    .append("')\" && touch '")
                    .append(out)
                    .append("'\n");
        }
        executable(repo.resolve("mvnw"), mvnw.toString());
        executable(
                repo.resolve("bin/java"),
                "#!/usr/bin/env bash\necho \"java $*\" >> '" + repo.resolve("java.log") + "'\n");
        write("pom.xml", "<project/>");
        write("gateway/pom.xml", "<project/>");
        write("gateway/src/main/java/A.java", "class A {}");
        write("cli/pom.xml", "<project/>");
        write("cli/src/main/java/C.java", "class C {}");
        write("libs/contracts/src/main/java/J.java", "class J {}");
        write(".gitignore", "target/\n.campanile/\n*.log\nbin/\n");
        git("init", "-q");
        git("add", "-A");
        git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "sources");
    }

    @Test
    void anUnchangedCheckoutStartsWithoutBuildingAndAChangedOneRebuilds() throws Exception {
        assertEquals(1, up(), "the first start builds");
        assertEquals(0, up(), "nothing changed");
        touchAll(); // outputs and sources get new timestamps: no change of content
        assertEquals(0, up(), "timestamps alone");

        write("gateway/src/main/java/A.java", "class A { int x; }");
        assertEquals(1, up(), "a changed source");
        assertEquals(0, up(), "built since");
        git("add", "-A");
        git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "change");
        assertEquals(0, up(), "committing the built change changes nothing");
        write("gateway/src/main/java/B.java", "class B {}");
        assertEquals(1, up(), "an untracked source");
        write("gateway/pom.xml", "<project><!-- x --></project>");
        assertEquals(1, up(), "a pom");
        write("README.md", "docs");
        assertEquals(0, up(), "no source");
        Files.delete(repo.resolve("gateway/target/quarkus-app/quarkus-run.jar"));
        assertEquals(1, up(), "a missing output");
    }

    @Test
    void theCliBuildsItselfOnlyWhenItsSourcesChanged() throws Exception {
        assertEquals(1, up());
        assertEquals(0, job(), "the whole build built the CLI");
        write("gateway/src/main/java/A.java", "class A { int y; }");
        assertEquals(0, job(), "not a source of the CLI");
        write("cli/src/main/java/C.java", "class C { int z; }");
        assertEquals(1, job(), "a CLI source");
        assertTrue(Files.readString(builds).lines().anyMatch(l -> l.contains("-pl cli -am")));
        assertEquals(0, job());
        assertTrue(Files.readString(repo.resolve("java.log")).contains("io.campanile.cli.JobCli ls --limit 1"));
    }

    @Test
    void outputsBuiltByMavenItselfAreTrustedWhenNewerThanTheSources() throws Exception {
        assertEquals(1, up());
        Files.delete(repo.resolve(".campanile/build.stamp")); // as after ./mvnw package, e.g. in CI
        Files.delete(repo.resolve(".campanile/cli.stamp"));
        assertEquals(0, up());
        assertEquals(0, job());
        assertTrue(Files.exists(repo.resolve(".campanile/build.stamp")), "the built sources are recorded");
        write("cli/src/main/java/C.java", "class C { long z; }");
        Files.delete(repo.resolve(".campanile/cli.stamp"));
        Files.setLastModifiedTime(
                repo.resolve("cli/src/main/java/C.java"),
                FileTime.from(Instant.now().plusSeconds(60)));
        assertEquals(1, job(), "a source newer than the jar");
    }

    /** Runs {@code ./campanile up} and answers how many builds it ran. */
    private int up() throws Exception {
        return run("up", "--no-demo");
    }

    private int job() throws Exception {
        return run("job", "ls", "--limit", "1");
    }

    private int run(String... args) throws Exception {
        long before = Files.exists(builds) ? Files.readAllLines(builds).size() : 0;
        List<String> command =
                new ArrayList<>(List.of("bash", repo.resolve("campanile").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(repo.toFile())
                .redirectErrorStream(true)
                .redirectOutput(repo.resolve("script.log").toFile());
        pb.environment().put("PATH", repo.resolve("bin") + ":" + System.getenv("PATH"));
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the script hangs");
        assertEquals(0, p.exitValue(), Files.readString(repo.resolve("script.log")));
        return (int) ((Files.exists(builds) ? Files.readAllLines(builds).size() : 0) - before);
    }

    private void touchAll() throws IOException {
        FileTime later = FileTime.from(Instant.now().plusSeconds(5));
        try (var files = Files.walk(repo)) {
            for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                if (!p.toString().contains("/.git/")) {
                    Files.setLastModifiedTime(p, later);
                }
            }
        }
    }

    private void write(String path, String text) throws IOException {
        Path p = repo.resolve(path);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text, StandardCharsets.UTF_8);
    }

    private static void executable(Path p, String text) throws IOException {
        Files.createDirectories(p.getParent());
        Files.writeString(p, text, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private void git(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("git", "-C", repo.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "git " + String.join(" ", args) + ": " + out);
    }
}
