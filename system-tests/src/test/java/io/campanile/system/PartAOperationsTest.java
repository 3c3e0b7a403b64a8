package io.campanile.system;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.campanile.diffusion.schedule.BetaSchedule;
import io.campanile.diffusion.schedule.NoiseSchedule;
import io.campanile.diffusion.tensor.Tensor;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every part-A operation through the gateway on the project's generated packs (real ONNX Runtime on small graphs
 * whose output is a known function, see libs/testpacks): the job succeeds, emits the images the writeup shows with
 * their roles and a contact sheet, and where the function allows it, the numbers are checked end to end.
 */
@ExtendWith(Stack.Extension.class)
class PartAOperationsTest {
    static final String CLASS_PACK = "test-mnist-class";
    static final String NO_COND_PACK = "test-unconditional";

    private static JsonPath run(Map<String, Object> body) {
        JsonPath job = Jobs.awaitTerminal(Jobs.submit(body));
        assertEquals("SUCCEEDED", job.getString("status"), job.prettify());
        return job;
    }

    private static Map<String, Object> on(String model, String type, Object... kv) {
        Map<String, Object> body = Jobs.request(type, kv);
        body.put("model", model);
        if (!List.of("forward", "blur_denoise", "one_step_denoise", "iterative_denoise", "sdedit", "inpaint")
                .contains(type)) {
            body.remove("image");
        }
        return body;
    }

    @Test
    void modelsListsTheTestPacksWithTheirConditioning() {
        JsonPath models = given().when()
                .get("/v1/models")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals("class", models.getString("find { it.id == 'test-mnist-class' }.conditioning"));
        assertEquals("t5", models.getString("find { it.id == 'test-if-stage1' }.conditioning"));
        assertEquals("none", models.getString("find { it.id == 'test-unconditional' }.conditioning"));
        assertEquals(false, models.getBoolean("find { it.id == 'IF-I-XL-v1.0' }.installed"));
        assertEquals(true, models.getBoolean("find { it.id == 'test-if-stage2' }.upscaler"));
    }

    @Test
    void oneStepDenoiseInvertsTheForwardProcessWithTheModelsEpsilon() {
        JsonPath job = run(on(CLASS_PACK, "one_step_denoise", "t", List.of(50, 150), "prompt", 7, "seed", 5));
        assertEquals(
                List.of("original", "noisy t=50", "one_step t=50", "noisy t=150", "one_step t=150", "sheet"),
                job.getList("outputs.role"));
        NoiseSchedule s = NoiseSchedule.of(BetaSchedule.LINEAR, 300, 1e-4, 0.02);
        for (int t : List.of(50, 150)) {
            Tensor noisy = ForwardAndBlurTest.npy(ForwardAndBlurTest.url(job, "noisy t=" + t));
            Tensor estimate = ForwardAndBlurTest.npy(ForwardAndBlurTest.url(job, "one_step t=" + t));
            assertArrayEquals(new int[] {1, 28, 28}, estimate.shape());
            double abar = s.alphaCumprod(t);
            for (int i = 0; i < noisy.size(); i += 13) {
                // The pack's eps for class 7 (one-hot index 7): 0.5 x + 0.1 * 8 + 0.001 t.
                double eps = 0.5 * noisy.data()[i] + 0.8 + 0.001 * t;
                double expected = (noisy.data()[i] - Math.sqrt(1 - abar) * eps) / Math.sqrt(abar);
                assertEquals(expected, estimate.data()[i], 1e-4, "t=" + t + " element " + i);
            }
        }
    }

    @Test
    void iterativeDenoiseShowsEveryKthStepAndTheComparisons() {
        JsonPath job = run(on(CLASS_PACK, "iterative_denoise", "i_start", 290, "show_every", 4, "prompt", "3"));
        List<String> roles = job.getList("outputs.role");
        assertEquals(List.of("original", "noisy t=9", "t=5", "t=1", "iterative", "one_step", "blur", "sheet"), roles);
    }

    @Test
    void sampleMakesEachImageIndependentlyOfTheBatch() {
        JsonPath two = run(on(
                CLASS_PACK, "sample", "prompt", "4", "num_images", 2, "seed", 11, "timesteps", List.of(200, 100, 0)));
        JsonPath one = run(on(
                CLASS_PACK, "sample", "prompt", "4", "num_images", 1, "seed", 11, "timesteps", List.of(200, 100, 0)));
        assertEquals(List.of("sample 1", "sample 2", "sheet"), two.getList("outputs.role"));
        // The queue overhead is reported: submission to the worker's start, then to the first denoising step.
        long queued = one.getLong("timings.queued_ms");
        long firstStep = one.getLong("timings.first_step_ms");
        assertTrue(
                queued <= firstStep && firstStep <= queued + one.getLong("timings.run_ms") + 1,
                "queued " + queued + " ms, first step " + firstStep + " ms, run " + one.getLong("timings.run_ms"));
        assertEquals(
                3,
                one.getInt("timings.unet_calls"),
                "on a part-B pack the course sampler is part B's algorithm 2: 200, 100, 0, then the clean image");
        assertArrayEquals(
                ForwardAndBlurTest.npy(ForwardAndBlurTest.url(one, "sample 1")).data(),
                ForwardAndBlurTest.npy(ForwardAndBlurTest.url(two, "sample 1")).data(),
                1e-5f,
                "image 1 does not depend on how many images share its batch");
    }

    @Test
    void sdeditRunsOnePerIStart() {
        JsonPath job = run(on(CLASS_PACK, "sdedit", "i_start", List.of(280, 295), "prompt", "1"));
        assertEquals(List.of("original", "i_start=280", "i_start=295", "sheet"), job.getList("outputs.role"));
    }

    @Test
    void inpaintKeepsTheUnmaskedPixelsOfTheOriginal() {
        JsonPath job = run(
                on(CLASS_PACK, "inpaint", "mask", Jobs.halfMask(), "prompt", "0", "timesteps", List.of(100, 50, 0)));
        assertEquals(List.of("original", "mask", "inpainted 1", "sheet"), job.getList("outputs.role"));
        Tensor original = ForwardAndBlurTest.npy(ForwardAndBlurTest.url(job, "original"));
        Tensor mask = ForwardAndBlurTest.npy(ForwardAndBlurTest.url(job, "mask"));
        Tensor result = ForwardAndBlurTest.npy(ForwardAndBlurTest.url(job, "inpainted 1"));
        int kept = 0;
        for (int i = 0; i < result.size(); i++) {
            if (mask.data()[i] == 0f) {
                assertEquals(original.data()[i], result.data()[i], 1e-5, "kept pixel " + i);
                kept++;
            }
        }
        assertTrue(kept > 100, "the mask keeps part of the image");
    }

    @Test
    void anagramShowsEachPromptUnderItsView() {
        JsonPath job = run(on(
                CLASS_PACK,
                "anagram",
                "prompts",
                List.of("6", "9"),
                "views",
                List.of("identity", "flip"),
                "timesteps",
                List.of(280, 140, 0)));
        assertEquals(List.of("anagram 1", "anagram 1 view=flip", "sheet"), job.getList("outputs.role"));
    }

    @Test
    void hybridMixesTwoPrompts() {
        JsonPath job = run(on(
                CLASS_PACK,
                "hybrid",
                "prompt_low",
                "1",
                "prompt_high",
                "8",
                "kernel_size",
                9,
                "timesteps",
                List.of(250, 150, 50, 0)));
        assertEquals(List.of("hybrid 1", "sheet"), job.getList("outputs.role"));
    }

    @Test
    void anUnconditionalPackSamplesWithoutPrompts() {
        JsonPath job = run(on(NO_COND_PACK, "sample", "num_images", 1, "timesteps", List.of(999, 500, 0)));
        assertEquals(List.of("sample 1", "sheet"), job.getList("outputs.role"));
    }

    @Test
    void everyOperationRunsOnTheT5ConditionedStageOnePack() {
        String pack = "test-if-stage1";
        List<Object> short3 = List.of(990, 500, 0);
        Map<String, List<String>> expected = Map.of(
                "one_step_denoise", List.of("original", "noisy t=250", "one_step t=250", "sheet"),
                "iterative_denoise", List.of("original", "noisy t=500", "iterative", "one_step", "blur", "sheet"),
                "sample", List.of("sample 1", "sheet"),
                "sdedit", List.of("original", "i_start=1", "sheet"),
                "inpaint", List.of("original", "mask", "inpainted 1", "sheet"),
                "anagram", List.of("anagram 1", "anagram 1 view=rot90", "sheet"),
                "hybrid", List.of("hybrid 1", "sheet"));
        Map<String, Object[]> fields = Map.of(
                "one_step_denoise", new Object[] {"t", List.of(250), "prompt", "a rocket ship"},
                "iterative_denoise", new Object[] {"timesteps", short3, "i_start", 1, "show_every", 5},
                "sample", new Object[] {"timesteps", short3, "num_images", 1, "prompt", "a peacock"},
                "sdedit", new Object[] {"timesteps", short3, "i_start", List.of(1), "prompt", "a pencil"},
                "inpaint", new Object[] {"timesteps", short3, "mask", Jobs.halfMask(), "prompt", "a forest"},
                "anagram",
                        new Object[] {
                            "timesteps",
                            short3,
                            "prompts",
                            List.of("an oil painting of an old man", "an oil painting of people around a campfire"),
                            "views",
                            List.of("identity", "rot90")
                        },
                "hybrid",
                        new Object[] {
                            "timesteps",
                            short3,
                            "prompt_low",
                            "a lithograph of a skull",
                            "prompt_high",
                            "a lithograph of waterfalls"
                        });
        for (String type : expected.keySet()) {
            JsonPath job = run(on(pack, type, fields.get(type)));
            assertEquals(expected.get(type), job.getList("outputs.role"), type);
        }
    }

    @Test
    void modelDependentBadInputIsA400NamingTheField() {
        given().contentType("application/json")
                .body(on(CLASS_PACK, "sample", "prompt", "a cat"))
                .when()
                .post("/v1/jobs")
                .then()
                .statusCode(400)
                .body("field", Matchers.equalTo("prompt"));
        given().contentType("application/json")
                .body(on(CLASS_PACK, "sdedit", "i_start", List.of(1, 300)))
                .when()
                .post("/v1/jobs")
                .then()
                .statusCode(400)
                .body("field", Matchers.equalTo("i_start[1]"));
        given().contentType("application/json")
                .body(on(CLASS_PACK, "anagram", "prompts", List.of("1", "2"), "views", List.of("identity", "sideways")))
                .when()
                .post("/v1/jobs")
                .then()
                .statusCode(400)
                .body("field", Matchers.equalTo("views[1]"));
        given().contentType("application/json")
                .body(on("IF-I-XL-v1.0", "sample"))
                .when()
                .post("/v1/jobs")
                .then()
                .statusCode(400)
                .body("field", Matchers.equalTo("model"));
        given().contentType("application/json")
                .body(on(CLASS_PACK, "forward", "t", List.of(400)))
                .when()
                .post("/v1/jobs")
                .then()
                .statusCode(400)
                .body("field", Matchers.equalTo("t[0]"));
        given().contentType("application/json")
                .body(on(CLASS_PACK, "sample", "timesteps", "smart50"))
                .when()
                .post("/v1/jobs")
                .then()
                .statusCode(400)
                .body("field", Matchers.equalTo("timesteps"));
    }
}
