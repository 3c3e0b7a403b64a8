package io.campanile.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.campanile.cli.JobCli;
import io.campanile.contracts.Json;
import io.campanile.diffusion.image.Npy;
import io.campanile.diffusion.image.PngText;
import io.campanile.diffusion.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job CLI ({@code ./campanile job}, run here in process) against the whole system: a sample submitted with
 * {@code --wait}, its outputs fetched as PNG and {@code .npy} with the job's parameters in the PNGs' text chunks, the
 * list, a cancelled job, the models and types, and a bad field named with exit code 2.
 */
@ExtendWith(Stack.Extension.class)
class CliTest {
    private static final Path ROOT =
            Path.of(System.getProperty("campanile.root", "..")).toAbsolutePath().normalize();

    private record Result(int code, String out, String err) {
        String both() {
            return "exit " + code + "\nstdout:\n" + out + "\nstderr:\n" + err;
        }
    }

    private static Result cli(String... args) {
        List<String> all = new ArrayList<>(List.of(
                "--gateway", Stack.get().gatewayUrl(), "--key", Stack.get().apiKey()));
        all.addAll(List.of(args));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = JobCli.run(
                all.toArray(String[]::new),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                false);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void submitWaitThenGetWritesEveryOutputAsPngAndNpyCarryingTheJobsParameters(@TempDir Path dir) throws Exception {
        Result submit = cli(
                "submit",
                "sample",
                "model=test-mnist-class",
                "prompt=7",
                "num_images=2",
                "guidance_scale=3",
                "seed=34224309",
                "--wait");
        assertEquals(0, submit.code(), submit.both());
        String id = submit.out().strip();
        assertTrue(submit.err().contains("job " + id + " SUCCEEDED"), submit.both());
        assertTrue(submit.err().contains("sample ["), "a progress bar: " + submit.both());

        Result get = cli("get", id, "--out", dir.toString());
        assertEquals(0, get.code(), get.both());
        JsonNode job = Json.mapper().readTree(dir.resolve("job.json").toFile());
        assertEquals(id, job.path("id").asText());
        List<String> roles = new ArrayList<>();
        job.path("outputs").forEach(o -> roles.add(o.path("role").asText()));
        assertTrue(roles.contains("sheet") && roles.size() == 3, roles.toString());
        for (String role : roles) {
            String name = role.replace(' ', '_').replace('=', '-');
            byte[] png = Files.readAllBytes(dir.resolve(name + ".png"));
            assertNotNull(ImageIO.read(dir.resolve(name + ".png").toFile()), name + ".png");
            Tensor npy = Npy.decode(Files.readAllBytes(dir.resolve(name + ".npy")));
            assertEquals(3, npy.rank(), name + ".npy");
            Map<String, String> text = PngText.read(png);
            assertEquals(id, text.get("job_id"), role);
            assertEquals("sample", text.get("type"), role);
            assertEquals("test-mnist-class", text.get("model"), role);
            assertEquals("34224309", text.get("seed"), role);
            assertEquals(role, text.get("role"));
            assertEquals(job.path("params").path("sampler").asText(), text.get("sampler"), role);
            JsonNode params = Json.mapper().readTree(text.get("params"));
            assertEquals(2, params.path("num_images").asInt(), text.get("params"));
            assertEquals("7", params.path("prompt").asText(), text.get("params"));
        }

        Result ls = cli("ls", "--type", "sample", "--status", "succeeded", "--limit", "50");
        assertEquals(0, ls.code(), ls.both());
        assertTrue(ls.out().lines().anyMatch(l -> l.startsWith(id) && l.contains("SUCCEEDED")), ls.both());
    }

    @Test
    void aCancelledJobIsWatchedToItsEndWithExitCodeOne() {
        String many = IntStream.range(0, 64)
                .map(i -> i * 15)
                .mapToObj(Integer::toString)
                .collect(Collectors.joining(","));
        String image = ROOT.resolve("examples/chelsea.png").toString();
        for (int attempt = 0; attempt < 5; attempt++) {
            Result submit = cli("submit", "blur_denoise", "--image", image, "t=" + many, "kernel_size=99", "sigma=20");
            assertEquals(0, submit.code(), submit.both());
            String id = submit.out().strip();
            Result cancel = cli("cancel", id);
            if (cancel.code() == 2 && cancel.err().contains("409")) {
                continue; // it finished first; try a fresh one
            }
            assertEquals(0, cancel.code(), cancel.both());
            assertTrue(cancel.out().startsWith(id), cancel.both());
            Result watch = cli("watch", id);
            assertEquals(1, watch.code(), watch.both());
            assertTrue(watch.err().contains("job " + id + " CANCELLED"), watch.both());
            return;
        }
        fail("every job finished before it could be cancelled");
    }

    @Test
    void modelsAndTypesComeFromTheGateway() {
        Result models = cli("models");
        assertEquals(0, models.code(), models.both());
        assertTrue(
                models.out().lines().anyMatch(l -> l.startsWith("test-mnist-class ") && l.contains("class")),
                models.both());
        Result types = cli("types");
        assertEquals(0, types.code(), types.both());
        assertTrue(types.out().lines().anyMatch(l -> l.startsWith("sample ")), types.both());
        Result sample = cli("types", "sample");
        assertEquals(0, sample.code(), sample.both());
        assertTrue(sample.out().lines().anyMatch(l -> l.startsWith("num_images ") && l.contains("int")), sample.both());
    }

    @Test
    void aBadFieldExitsWithTwoAndNamesTheField() {
        Result unknown = cli("submit", "sample", "model=test-mnist-class", "colour=red");
        assertEquals(2, unknown.code(), unknown.both());
        assertTrue(unknown.err().contains("400") && unknown.err().contains("colour"), unknown.both());
        assertEquals("", unknown.out(), "no job id for a refused job");

        Result outOfRange = cli("submit", "sample", "model=test-mnist-class", "num_images=100000");
        assertEquals(2, outOfRange.code(), outOfRange.both());
        assertTrue(outOfRange.err().contains("num_images"), outOfRange.both());

        Result notANumber = cli("submit", "sample", "model=test-mnist-class", "num_images=lots");
        assertEquals(2, notANumber.code(), notANumber.both());
        assertTrue(notANumber.err().contains("'num_images'"), notANumber.both());

        Result noType = cli("submit", "paint");
        assertEquals(2, noType.code(), noType.both());
        assertTrue(noType.err().contains("paint"), noType.both());
    }
}
