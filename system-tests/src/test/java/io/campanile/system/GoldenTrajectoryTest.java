package io.campanile.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.campanile.diffusion.tensor.Tensor;
import io.restassured.path.json.JsonPath;
import java.awt.image.BufferedImage;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Golden trajectories: real jobs on the test packs (whose UNets are known functions with a prompt term that varies
 * over the image), each output compared element by element with {@link GoldenValues}, which the independent numpy
 * reference {@code src/test/python/golden_trajectories.py} computes from the writeup's loop (sampler {@code course})
 * and from diffusers' scheduler and pipelines (sampler {@code diffusers}), stage II included. Every scenario runs a
 * few steps of a short list, so the whole class takes seconds once the stack is up.
 */
@ExtendWith(Stack.Extension.class)
class GoldenTrajectoryTest {
    static final String STAGE1 = "test-if-stage1";
    static final String STAGE2 = "test-if-stage2";
    static final String P1 = "a photo of a dog";
    static final String P2 = "an oil painting of a man";
    static final List<Integer> L = List.of(990, 750, 510, 270, 30, 0);

    /** The request of each scenario of the numpy script, without the image fields. */
    static Map<String, Map<String, Object>> scenarios() {
        Map<String, Map<String, Object>> s = new LinkedHashMap<>();
        s.put("C1", body("one_step_denoise", STAGE1, "t", List.of(750), "prompt", P1, "guidance_scale", 1.0));
        s.put("D2", with(s.get("C1"), "sampler", "diffusers"));
        s.put(
                "C2",
                body("iterative_denoise", STAGE1, "timesteps", L, "i_start", 1, "prompt", P1, "guidance_scale", 1.0));
        s.put("C3", body("sample", STAGE1, "prompt", P1, "guidance_scale", 7.0, "num_images", 2, "timesteps", L));
        s.put("C4", body("sample", STAGE1, "prompt", P1, "guidance_scale", 0.5, "num_images", 1, "timesteps", L));
        s.put("C5", body("sdedit", STAGE1, "i_start", List.of(2), "timesteps", L, "prompt", P1, "guidance_scale", 7.0));
        s.put("C6", body("inpaint", STAGE1, "prompt", P1, "guidance_scale", 7.0, "timesteps", L, "mode", "repaint"));
        int k = 7;
        for (String view : List.of("flip", "rot90", "negate")) {
            s.put(
                    "C" + k++,
                    body(
                            "anagram",
                            STAGE1,
                            "prompts",
                            List.of(P1, P2),
                            "views",
                            List.of("identity", view),
                            "guidance_scale",
                            7.0,
                            "timesteps",
                            L));
        }
        s.put(
                "C10",
                body(
                        "hybrid",
                        STAGE1,
                        "prompt_low",
                        P1,
                        "prompt_high",
                        P2,
                        "kernel_size",
                        33,
                        "sigma",
                        2.0,
                        "guidance_scale",
                        7.0,
                        "timesteps",
                        L));
        s.put(
                "D1",
                body("sample", STAGE1, "prompt", P1, "guidance_scale", 7.0, "num_images", 1, "num_inference_steps", 5));
        Map<String, Object> s1 = body(
                "upscale",
                STAGE2,
                "prompt",
                P1,
                "guidance_scale",
                4.0,
                "noise_level",
                250,
                "num_inference_steps",
                4,
                "sampler",
                "diffusers");
        s.put("S1", s1);
        Map<String, Object> s2 = with(s1, "illusion", "anagram");
        s2.put("prompts", List.of(P1, P2));
        s2.put("views", List.of("identity", "flip"));
        s2.put("noise_level", 50);
        s.put("S2", s2);
        Map<String, Object> s3 = with(s1, "sampler", "course");
        s3.remove("num_inference_steps");
        s3.put("timesteps", List.of(750, 500, 250, 0));
        s.put("S3", s3);
        Map<String, Object> s4 = with(s3, "illusion", "hybrid");
        s4.put("prompts", List.of(P1, P2));
        s4.put("noise_level", 50);
        s.put("S4", s4);
        return s;
    }

    @Test
    void everyScenarioMatchesTheIndependentReferenceElementByElement() {
        Map<String, Map<String, Object>> scenarios = scenarios();
        Map<String, JsonPath> jobs = new HashMap<>();
        for (GoldenValues.Expected e : GoldenValues.ALL) {
            String scenario = "X0".equals(e.scenario()) ? "C1" : e.scenario();
            JsonPath job = jobs.computeIfAbsent(scenario, k -> run(scenarios.get(k)));
            String url = ForwardAndBlurTest.url(job, e.role());
            assertTrue(url != null, e.scenario() + ": no output '" + e.role() + "' in " + job.getList("outputs.role"));
            compare(e, ForwardAndBlurTest.npy(url));
        }
        assertEquals(scenarios.keySet(), jobs.keySet(), "every scenario has golden values");
    }

    @Test
    void theCourseOneStepEstimateIsUnthresholdedAndTheDiffusersOneIsThresholded() {
        Tensor course = oneStep(run(scenarios().get("C1")));
        Tensor diffusers = oneStep(run(scenarios().get("D2")));
        float courseMax = 0;
        float diffusersMax = 0;
        for (int i = 0; i < course.size(); i++) {
            courseMax = Math.max(courseMax, Math.abs(course.data()[i]));
            diffusersMax = Math.max(diffusersMax, Math.abs(diffusers.data()[i]));
        }
        assertTrue(courseMax > 1.5f, "eq. A.3 leaves x0_hat outside [-1, 1] at t = 750: max |x0| " + courseMax);
        assertTrue(diffusersMax <= 1f, "dynamic thresholding keeps it inside: max |x0| " + diffusersMax);
    }

    @Test
    void theDiffusersSamplerMakesOneUnetCallPerInferenceStepAndTheCourseOneFewer() {
        JsonPath pipeline = run(body("sample", STAGE1, "prompt", P1, "num_images", 1, "num_inference_steps", 20));
        assertEquals("diffusers", pipeline.getString("params.sampler"), "num_inference_steps selects the pipeline");
        assertEquals(20, pipeline.getInt("timings.unet_calls"), "20 steps, both CFG branches in one call each");
        JsonPath course = run(body("sample", STAGE1, "prompt", P1, "num_images", 1));
        assertEquals("course", course.getString("params.sampler"));
        assertEquals(33, course.getInt("timings.unet_calls"), "990, 960, ..., 30, 0: len - 1 steps");
    }

    private static Tensor oneStep(JsonPath job) {
        return ForwardAndBlurTest.npy(ForwardAndBlurTest.url(job, "one_step t=750"));
    }

    private static void compare(GoldenValues.Expected e, Tensor actual) {
        String what = e.scenario() + " " + e.role();
        float[] a = actual.data();
        double sum = 0;
        double squares = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (float f : a) {
            sum += f;
            squares += (double) f * f;
            min = Math.min(min, f);
            max = Math.max(max, f);
        }
        for (int k = 0; k < e.index().length; k++) {
            double expected = e.value()[k];
            assertEquals(
                    expected,
                    a[e.index()[k]],
                    1e-4 * Math.max(1, Math.abs(expected)),
                    what + " [" + e.index()[k] + "]");
        }
        // Float32 steps against a float64 reference: relative 1e-5 of the tensor's size.
        double scale = Math.sqrt(e.sumOfSquares() * a.length);
        assertEquals(e.sum(), sum, 1e-5 * scale + 1e-3, what + " sum");
        assertEquals(e.sumOfSquares(), squares, 1e-5 * e.sumOfSquares() + 1e-3, what + " sum of squares");
        assertEquals(e.min(), min, 1e-4 * Math.max(1, Math.abs(e.min())), what + " min");
        assertEquals(e.max(), max, 1e-4 * Math.max(1, Math.abs(e.max())), what + " max");
    }

    private static JsonPath run(Map<String, Object> body) {
        Map<String, Object> request = new HashMap<>(body);
        String type = (String) request.get("type");
        if (List.of("one_step_denoise", "iterative_denoise", "sdedit", "inpaint", "upscale")
                .contains(type)) {
            request.put("image", IMAGE);
        }
        if ("inpaint".equals(type)) {
            request.put("mask", MASK);
        }
        JsonPath job = Jobs.awaitTerminal(Jobs.submit(request));
        assertEquals("SUCCEEDED", job.getString("status"), job.prettify());
        return job;
    }

    private static Map<String, Object> body(String type, String model, Object... kv) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("type", type);
        b.put("model", model);
        b.put("seed", 7);
        b.put("negative_prompt", "");
        for (int i = 0; i < kv.length; i += 2) {
            b.put((String) kv[i], kv[i + 1]);
        }
        if ("one_step_denoise".equals(type)) {
            b.remove("negative_prompt"); // a one-step job guides against "" and takes no negative prompt
        }
        return b;
    }

    private static Map<String, Object> with(Map<String, Object> base, String key, Object value) {
        Map<String, Object> b = new LinkedHashMap<>(base);
        b.put(key, value);
        return b;
    }

    /** The script's input image: at column x, row y, R = (3x + 5y) % 256, G = (7x + 2y + 40) % 256, B = xy % 256. */
    static final String IMAGE = Jobs.png(image());

    /** The script's mask: white (new content) where 16 <= x < 48 and 8 <= y < 40. */
    static final String MASK = Jobs.png(mask());

    private static BufferedImage image() {
        BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                int r = (3 * x + 5 * y) % 256;
                int g = (7 * x + 2 * y + 40) % 256;
                int b = (x * y) % 256;
                img.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return img;
    }

    private static BufferedImage mask() {
        BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 8; y < 40; y++) {
            for (int x = 16; x < 48; x++) {
                img.getRaster().setSample(x, y, 0, 255);
            }
        }
        return img;
    }
}
