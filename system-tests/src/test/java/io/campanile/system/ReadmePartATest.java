package io.campanile.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The README's "Part A of the writeup" commands, run verbatim by bash against the test stack with the variables the
 * README names for it (MODEL=test-if-stage1, UP=test-if-stage2, the gateway's address): every job must succeed.
 */
@ExtendWith(Stack.Extension.class)
class ReadmePartATest {
    /** Part 0's 3 prompts x 3 step counts, then 13 jobs of sections 1.1 to 1.9 and the upscale. */
    static final int JOBS = 9 + 13;

    @Test
    void everyPartAJobOfTheReadmeSucceedsOnTheTestPacks() throws Exception {
        Path root = ReadmeQuickStartTest.ROOT;
        String script = ReadmeQuickStartTest.shellBlocks(
                Files.readString(root.resolve("README.md")), "## Part A of the writeup, job by job");
        Path work = Files.createTempDirectory("campanile-readme-part-a");
        Files.createSymbolicLink(work.resolve("examples"), root.resolve("examples")); // the README runs from the root
        Path file = work.resolve("part-a.sh");
        Files.writeString(file, script);
        ProcessBuilder pb = new ProcessBuilder("bash", "-eo", "pipefail", file.toString())
                .directory(work.toFile())
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("part-a.log").toFile());
        pb.environment().put("MODEL", "test-if-stage1");
        pb.environment().put("UP", "test-if-stage2");
        pb.environment().put("GW", Stack.get().gatewayUrl().replaceFirst("^https?://", ""));
        pb.environment().put("CAMPANILE_API_KEY", Stack.get().apiKey());
        Process bash = pb.start();
        boolean done = bash.waitFor(600, TimeUnit.SECONDS);
        String log = Files.readString(work.resolve("part-a.log"), StandardCharsets.UTF_8);
        if (!done) {
            bash.destroyForcibly();
        }
        assertTrue(done, "the README's part-A commands did not finish in 600 s:\n" + log);
        assertEquals(0, bash.exitValue(), "the README's part-A commands failed:\n" + log);
        List<String> lines = log.lines().filter(l -> l.contains("\"status\"")).toList();
        assertEquals(JOBS, lines.size(), "one line per job:\n" + log);
        lines.forEach(l -> assertTrue(l.endsWith("\"status\":\"SUCCEEDED\""), l));
    }
}
