package io.campanile.system;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.campanile.diffusion.tensor.Tensor;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * IF stage II through the gateway on the project's generated packs: a standalone {@code upscale} of an uploaded photo
 * (gateway, text encoder, stage2-worker) and a stage-I {@code sample} with {@code upscale: true} that stage 1 hands on
 * to stage 2 (gateway, text encoder, stage1-worker, stage2-worker). Both succeed with 256 px images under the roles
 * the worker documents; progress counts the stage-II steps and a cancel stops the loop. Prints the stage2-worker's
 * peak resident set after each successful job.
 */
@ExtendWith(Stack.Extension.class)
class Stage2Test {
    static final String STAGE1 = "test-if-stage1";
    static final String STAGE2 = "test-if-stage2";

    private static JsonPath run(Map<String, Object> body) {
        JsonPath job = Jobs.awaitTerminal(Jobs.submit(body));
        assertEquals("SUCCEEDED", job.getString("status"), job.prettify());
        return job;
    }

    private static Tensor output(JsonPath job, String role) {
        return ForwardAndBlurTest.npy(ForwardAndBlurTest.url(job, role));
    }

    @Test
    void anUploadedImageIsUpscaledTo256PixelsNextToItsBilinearUpscale() {
        Map<String, Object> body = Jobs.request(
                "upscale",
                "model",
                STAGE2,
                "prompt",
                "a photo of a cat",
                "timesteps",
                List.of(990, 500, 0),
                "seed",
                34224309);
        JsonPath job = run(body);
        assertEquals(List.of("original", "upscaled", "bilinear", "sheet"), job.getList("outputs.role"));
        Tensor original = output(job, "original");
        Tensor bilinear = output(job, "bilinear");
        Tensor upscaled = output(job, "upscaled");
        assertArrayEquals(new int[] {3, 64, 64}, original.shape());
        assertArrayEquals(new int[] {3, 256, 256}, bilinear.shape());
        assertArrayEquals(new int[] {3, 256, 256}, upscaled.shape());
        // align_corners: the corners are the original's, and output 85 is source pixel 21 (85 * 63 / 255).
        assertEquals(original.data()[0], bilinear.data()[0], 1e-6);
        assertEquals(original.data()[63 * 64 + 63], bilinear.data()[255 * 256 + 255], 1e-6);
        assertEquals(original.data()[4096 + 21 * 64 + 42], bilinear.data()[65536 + 85 * 256 + 170], 1e-5);
        for (float v : upscaled.data()) {
            assertTrue(Float.isFinite(v), "the stage-II image is finite");
        }
        logWorkerMemory();
    }

    @Test
    void aSampleWithUpscaleReturnsThe256PixelImagesNextToThe64PixelOnes() {
        Map<String, Object> body = Jobs.request(
                "sample",
                "model",
                STAGE1,
                "prompt",
                "a man wearing a hat",
                "num_images",
                2,
                "timesteps",
                List.of(990, 500, 0),
                "upscale",
                true,
                "upscale_model",
                STAGE2);
        body.remove("image");
        JsonPath job = run(body);
        assertEquals(
                List.of("sample 1", "sample 1 256px", "sample 2", "sample 2 256px", "sheet", "sheet 256px"),
                job.getList("outputs.role"));
        for (int i = 1; i <= 2; i++) {
            assertArrayEquals(new int[] {3, 64, 64}, output(job, "sample " + i).shape());
            assertArrayEquals(
                    new int[] {3, 256, 256},
                    output(job, "sample " + i + " 256px").shape());
        }
        float[] first = output(job, "sample 1 256px").data();
        float[] second = output(job, "sample 2 256px").data();
        double diff = 0;
        for (int k = 0; k < first.length; k++) {
            diff = Math.max(diff, Math.abs(first[k] - second[k]));
        }
        assertTrue(diff > 1e-3, "each image has its own stage-II result");
        logWorkerMemory();
    }

    @Test
    void anUpscaledAnagramReturnsEveryViewAt256Pixels() {
        Map<String, Object> body = Jobs.request(
                "anagram",
                "model",
                STAGE1,
                "prompts",
                List.of("a photo of a dog", "a photo of a man", "a rocket ship"),
                "views",
                List.of("identity", "rot90", "negate"),
                "timesteps",
                List.of(990, 500, 0),
                "upscale",
                true,
                "upscale_model",
                STAGE2);
        body.remove("image");
        JsonPath job = run(body);
        List<String> roles = job.getList("outputs.role");
        for (String role : List.of(
                "anagram 1",
                "anagram 1 view=rot90",
                "anagram 1 view=negate",
                "anagram 1 256px",
                "anagram 1 view=rot90 256px",
                "anagram 1 view=negate 256px",
                "sheet 256px")) {
            assertTrue(roles.contains(role), role + " in " + roles);
        }
        Tensor upscaled = output(job, "anagram 1 256px");
        Tensor negated = output(job, "anagram 1 view=negate 256px");
        Tensor rotated = output(job, "anagram 1 view=rot90 256px");
        assertArrayEquals(new int[] {3, 256, 256}, rotated.shape());
        for (int k = 0; k < upscaled.size(); k += 101) {
            assertEquals(-upscaled.data()[k], negated.data()[k], 1e-6, "negate view at " + k);
        }
        // rot90 turns counter-clockwise: out[y][x] = in[x][W-1-y].
        for (int y = 0; y < 256; y += 17) {
            for (int x = 0; x < 256; x += 13) {
                assertEquals(upscaled.data()[x * 256 + (255 - y)], rotated.data()[y * 256 + x], 1e-6);
            }
        }
    }

    @Test
    void anUpscaleReportsItsStepsAndStopsWhenCancelled() {
        for (int attempt = 0; attempt < 3; attempt++) {
            String id = Jobs.submit(
                    Jobs.request("upscale", "model", STAGE2, "prompt", "a photo of a cat", "timesteps", "smart185"));
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> {
                        JsonPath j = Jobs.job(id);
                        return "upscale".equals(j.getString("progress.stage"))
                                || Jobs.TERMINAL.contains(j.getString("status"));
                    });
            assertEquals(
                    184,
                    Jobs.job(id).getInt("progress.total"),
                    "progress counts the stage-II steps: the course sampler's 185 - 1");
            int code = given().when()
                    .post("/v1/jobs/" + id + "/cancel")
                    .then()
                    .extract()
                    .statusCode();
            if (code == 409) {
                continue; // finished before it could be cancelled; try a fresh one
            }
            assertEquals(202, code);
            JsonPath done = Jobs.awaitTerminal(id);
            assertEquals("CANCELLED", done.getString("status"), done.prettify());
            assertFalse(done.getList("outputs.role").contains("upscaled"), "stopped before the result");
            return;
        }
        throw new AssertionError("every upscale finished before it could be cancelled");
    }

    /** The peak resident set (VmHWM) of the stage2-worker process this test JVM started, for the record. */
    private static void logWorkerMemory() {
        ProcessHandle.current()
                .descendants()
                .filter(p -> p.info().commandLine().orElse("").contains("stage2-worker/target/quarkus-app"))
                .forEach(p -> {
                    try {
                        Files.readAllLines(Path.of("/proc", Long.toString(p.pid()), "status")).stream()
                                .filter(l -> l.startsWith("VmHWM:") || l.startsWith("VmRSS:"))
                                .forEach(l -> System.out.println("stage2-worker (pid " + p.pid() + ") " + l));
                    } catch (IOException e) {
                        System.out.println("stage2-worker memory unreadable: " + e);
                    }
                });
    }
}
