package io.campanile.system;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.campanile.diffusion.image.Npy;
import io.campanile.diffusion.tensor.Tensor;
import io.campanile.testkit.LocalStack;
import io.campanile.testkit.LocalStackMain;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The README's "Try it" commands, run verbatim by bash against a stack configured as {@code ./campanile up} configures
 * it (the trained MNIST pack as the default model, no test packs), with only the gateway's address put in: they must
 * leave the noisy and the blurred images at t = 250, 500, 750 as PNG and NPY files, by curl and by the job CLI
 * ({@code ./campanile job}, the repository's script).
 */
class ReadmeQuickStartTest {
    static final Path ROOT =
            Path.of(System.getProperty("campanile.root", "..")).toAbsolutePath().normalize();
    private static LocalStack stack;
    private static Path data;

    @BeforeAll
    static void startLikeCampanileUp() throws Exception {
        data = Files.createTempDirectory("campanile-readme-test");
        stack = new LocalStack(
                        new LocalStack.Options(ROOT, data, false, false, 1, false, LocalStackMain.serviceConfig(ROOT)))
                .start();
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    /** The fenced shell blocks of the README section {@code heading}, in order, joined. */
    static String shellBlocks(String readme, String heading) {
        int start = readme.indexOf("\n" + heading + "\n");
        assertTrue(start >= 0, "README has no section '" + heading + "'");
        int end = readme.indexOf("\n## ", start + heading.length() + 1);
        String section = readme.substring(start, end < 0 ? readme.length() : end);
        List<String> blocks = new ArrayList<>();
        for (int open = section.indexOf("```sh\n"); open >= 0; open = section.indexOf("```sh\n", open + 1)) {
            int close = section.indexOf("\n```", open + 6);
            blocks.add(section.substring(open + 6, close + 1));
            open = close;
        }
        assertFalse(blocks.isEmpty(), "no ```sh block under '" + heading + "'");
        return String.join("", blocks);
    }

    @Test
    void theTryItCommandsProduceTheNoisyAndBlurredImagesAsPngAndNpy() throws Exception {
        assertEquals(
                "mnist-class",
                LocalStackMain.serviceConfig(ROOT).get("campanile.gateway.default-model"),
                "./campanile up serves the trained MNIST pack by default, as this stack does");
        String script = shellBlocks(Files.readString(ROOT.resolve("README.md")), "## Try it");
        assertTrue(script.contains("localhost:8080"), "the README talks to the gateway at localhost:8080");
        String gateway = stack.gatewayUrl().replaceFirst("^https?://", "");
        Path work = Files.createDirectory(data.resolve("work"));
        Files.createSymbolicLink(work.resolve("examples"), ROOT.resolve("examples")); // the README runs from the root
        Files.createSymbolicLink(work.resolve("campanile"), ROOT.resolve("campanile"));
        Path file = work.resolve("try-it.sh");
        Files.writeString(file, script.replace("localhost:8080", gateway));

        ProcessBuilder pb = new ProcessBuilder("bash", "-x", "-eo", "pipefail", file.toString())
                .directory(work.toFile())
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("try-it.log").toFile());
        pb.environment().put("CAMPANILE_API_KEY", stack.apiKey()); // what .campanile/api-key holds after `up`
        Process bash = pb.start();
        boolean done = bash.waitFor(120, TimeUnit.SECONDS);
        String log = Files.readString(work.resolve("try-it.log"), StandardCharsets.UTF_8);
        if (!done) {
            bash.destroyForcibly();
        }
        assertTrue(done, "the README commands did not finish in 120 s:\n" + tail(log));
        assertEquals(0, bash.exitValue(), "the README commands failed:\n" + tail(log));

        for (String kind : List.of("noisy", "blur")) {
            for (int t : List.of(250, 500, 750)) {
                String name = kind + "-t" + t;
                BufferedImage png = ImageIO.read(work.resolve(name + ".png").toFile());
                assertNotNull(png, name + ".png is not an image:\n" + tail(log));
                assertEquals(64, png.getWidth(), name + ".png width");
                assertEquals(64, png.getHeight(), name + ".png height");
                assertFloat32Chw64(work.resolve(name + ".npy"), log);
            }
        }
        for (int t : List.of(250, 500, 750)) { // the CLI's copy: get --out blur, files named by role
            String name = "blur/blur_t-" + t;
            BufferedImage png = ImageIO.read(work.resolve(name + ".png").toFile());
            assertNotNull(png, name + ".png is not an image:\n" + tail(log));
            assertEquals(64, png.getWidth(), name + ".png width");
            assertFloat32Chw64(work.resolve(name + ".npy"), log);
        }
    }

    /** The file is a NumPy array of float32, shape (3, 64, 64), with finite values. */
    private static void assertFloat32Chw64(Path npy, String log) throws IOException {
        byte[] bytes = Files.readAllBytes(npy);
        String header = new String(bytes, 0, Math.min(bytes.length, 128), StandardCharsets.ISO_8859_1);
        assertTrue(header.startsWith("\u0093NUMPY"), npy.getFileName() + " is not .npy:\n" + tail(log));
        assertTrue(header.contains("'descr': '<f4'"), npy.getFileName() + ": " + header.trim());
        Tensor x = Npy.decode(bytes);
        assertArrayEquals(new int[] {3, 64, 64}, x.shape(), npy.getFileName() + " shape");
        for (float v : x.data()) {
            assertTrue(Float.isFinite(v), npy.getFileName() + " holds " + v);
        }
    }

    /** The last 40 lines of the shell's trace, each cut at 300 characters (the image travels as base64). */
    private static String tail(String log) {
        List<String> lines = log.lines()
                .map(l -> l.length() <= 300 ? l : l.substring(0, 300) + "...")
                .toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
