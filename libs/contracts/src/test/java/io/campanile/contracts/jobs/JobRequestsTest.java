package io.campanile.contracts.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.campanile.contracts.BlobRef;
import io.campanile.contracts.JobType;
import io.campanile.contracts.Json;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JobRequestsTest {
    private static final Set<String> COMMON = Set.of("type", "model", "seed");
    private static final BlobRef REF = new BlobRef("a".repeat(64));

    private static ObjectNode json(String text) throws Exception {
        return (ObjectNode) Json.mapper().readTree(text);
    }

    @Test
    void everyTypeHasDocumentedFieldsDerivedFromItsRecord() {
        for (JobType type : JobType.values()) {
            List<ParamSpec> fields = JobRequests.fields(type);
            assertFalse(fields.isEmpty(), type.wireName());
            fields.forEach(f -> assertFalse(f.description().isBlank(), type + "." + f.name()));
            assertEquals(type, JobRequests.typeOf(type.requestType()));
        }
        List<String> names = JobRequests.fields(JobType.ITERATIVE_DENOISE).stream()
                .map(ParamSpec::name)
                .toList();
        assertEquals(
                List.of(
                        "image",
                        "i_start",
                        "prompt",
                        "negative_prompt",
                        "guidance_scale",
                        "show_every",
                        "kernel_size",
                        "sigma",
                        "timesteps",
                        "sampler",
                        "upscale",
                        "upscale_model"),
                names);
        ParamSpec mode = JobRequests.fields(JobType.INPAINT).get(5);
        assertEquals(ParamSpec.Kind.CHOICE, mode.kind());
        assertEquals(List.of("repaint", "keep_clean"), mode.choices());
        ParamSpec kernel = JobRequests.fields(JobType.HYBRID).get(2);
        assertEquals("kernel_size", kernel.name());
        assertTrue(kernel.odd());
        assertEquals(33, kernel.defaultValue().asInt());
        assertEquals(
                ParamSpec.Kind.PROMPT_LIST,
                JobRequests.fields(JobType.ANAGRAM).get(0).kind());
        assertEquals(
                ParamSpec.Kind.STRING_LIST,
                JobRequests.fields(JobType.ANAGRAM).get(1).kind());
    }

    @Test
    void checkFillsDefaultsInFieldOrder() throws Exception {
        JobRequests.Checked c =
                JobRequests.check(JobType.SAMPLE, json("{\"type\":\"sample\",\"guidance_scale\":3}"), COMMON);
        assertEquals(
                "{\"prompt\":\"a high quality photo\",\"negative_prompt\":\"\",\"guidance_scale\":3.0,"
                        + "\"num_images\":5,\"sampler\":\"course\",\"upscale\":false,\"upscale_model\":\"IF-II-L-v1.0\"}",
                c.params().toString());
        assertTrue(c.images().isEmpty());
        JobRequests.Checked in = JobRequests.check(
                JobType.INPAINT,
                json("{\"image\":\"x\",\"mask\":\"y\"," + "\"prompt\":7,\"timesteps\":\"smart50\"}"),
                COMMON);
        assertEquals(Set.of("image", "mask"), in.images().keySet());
        assertEquals("7", in.params().get("prompt").asText());
        assertEquals("repaint", in.params().get("mode").asText());
        assertEquals("smart50", in.params().get("timesteps").asText());
    }

    @Test
    void trainDefaultsFollowTheArchitecture() throws Exception {
        ObjectNode p = JobRequests.check(JobType.TRAIN, json("{\"architecture\":\"denoiser\",\"epochs\":2}"), COMMON)
                .params();
        assertEquals(2, p.get("epochs").asInt());
        assertEquals(256, p.get("batch_size").asInt());
        assertEquals(128, p.get("hidden_dim").asInt());
        assertEquals("[1,5]", p.get("sample_epochs").toString());
        ObjectNode dflt = JobRequests.check(JobType.TRAIN, json("{}"), COMMON).params();
        assertEquals("class_conditioned", dflt.get("architecture").asText());
        assertEquals(5.0, dflt.get("guidance_scale").asDouble());
        assertEquals("fp32", dflt.get("precision").asText());
        ObjectNode bf16 = JobRequests.check(JobType.TRAIN, json("{\"precision\":\"bf16\"}"), COMMON)
                .params();
        assertEquals("bf16", bf16.get("precision").asText());
        InvalidFieldException bad = assertThrows(
                InvalidFieldException.class,
                () -> JobRequests.check(JobType.TRAIN, json("{\"precision\":\"fp8\"}"), COMMON));
        assertEquals("precision", bad.field());
        assertTrue(bad.getMessage().contains("bf16"), bad.getMessage());
    }

    @Test
    void badFieldsAreNamed() throws Exception {
        assertEquals(
                "colour",
                assertThrows(
                                InvalidFieldException.class,
                                () -> JobRequests.check(JobType.SAMPLE, json("{\"colour\":1}"), COMMON))
                        .field());
        assertEquals(
                "kernel_size",
                assertThrows(
                                InvalidFieldException.class,
                                () -> JobRequests.check(
                                        JobType.BLUR_DENOISE, json("{\"image\":\"x\",\"kernel_size\":4}"), COMMON))
                        .field());
        assertEquals(
                "image",
                assertThrows(InvalidFieldException.class, () -> JobRequests.check(JobType.FORWARD, json("{}"), COMMON))
                        .field());
        assertEquals(
                "mode",
                assertThrows(
                                InvalidFieldException.class,
                                () -> JobRequests.check(
                                        JobType.INPAINT,
                                        json("{\"image\":\"x\",\"mask\":\"y\",\"mode\":\"other\"}"),
                                        COMMON))
                        .field());
        assertEquals(
                "epochs",
                assertThrows(
                                InvalidFieldException.class,
                                () -> JobRequests.check(JobType.TRAIN, json("{\"epochs\":0}"), COMMON))
                        .field());
    }

    @Test
    void aWorkerReadsTheTypedRequestWithItsImages() throws Exception {
        ObjectNode params = JobRequests.check(
                        JobType.INPAINT,
                        json("{\"image\":\"x\",\"mask\":\"y\"," + "\"mode\":\"keep_clean\",\"timesteps\":[30, 20, 0]}"),
                        COMMON)
                .params();
        InpaintRequest r =
                (InpaintRequest) JobRequests.read(JobType.INPAINT, params, Map.of("image", REF, "mask", REF));
        assertEquals(InpaintRequest.Mode.KEEP_CLEAN, r.mode());
        assertEquals(REF, r.mask());
        assertEquals(List.of(30, 20, 0), r.timesteps().values());
        assertEquals(7.0, r.guidanceScale());
        assertEquals(params, JobRequests.params(r));
        SampleRequest s = JobRequests.defaults(SampleRequest.class);
        assertNull(s.timesteps());
        assertEquals(5, s.numImages());
        assertThrows(IllegalArgumentException.class, () -> JobRequests.read(JobType.SAMPLE, json("{}"), Map.of()));
    }

    @Test
    void handOffUsesStageTwoDefaultsAndKeepsTheJobsSamplerAndIllusion() {
        UpscaleRequest u =
                UpscaleRequest.handOff("a dog", "", Sampler.COURSE, null, UpscaleRequest.IllusionSpec.none());
        assertEquals(4.0, u.guidanceScale());
        assertEquals(250, u.noiseLevel());
        assertEquals("smart50", u.timesteps().name());
        assertEquals(Sampler.COURSE, u.sampler());
        assertNull(u.image());
        UpscaleRequest a = UpscaleRequest.handOff(
                "a",
                "",
                Sampler.DIFFUSERS,
                20,
                UpscaleRequest.IllusionSpec.anagram(List.of("a", "b"), List.of("identity", "flip")));
        assertEquals(50, a.noiseLevel(), "visual_anagrams' stage-II noise level");
        assertNull(a.timesteps());
        assertEquals(20, a.numInferenceSteps());
        assertEquals(UpscaleRequest.Illusion.ANAGRAM, a.illusion());
        UpscaleRequest h = UpscaleRequest.handOff(
                "a", "", Sampler.COURSE, null, UpscaleRequest.IllusionSpec.hybrid("far", "near", 33, 2.0));
        assertEquals(List.of("far", "near"), h.prompts());
        assertEquals(33, h.kernelSize());
        assertEquals(50, h.noiseLevel());
    }

    @Test
    void theSamplerDefaultsToTheCoursesUnlessTheJobSetsDiffusersStepCount() throws Exception {
        ObjectNode plain = JobRequests.check(JobType.SAMPLE, json("{\"type\": \"sample\"}"), COMMON)
                .params();
        assertEquals("course", plain.get("sampler").asText());
        assertFalse(plain.has("num_inference_steps"));
        ObjectNode part0 = JobRequests.check(
                        JobType.SAMPLE, json("{\"type\": \"sample\", \"num_inference_steps\": 20}"), COMMON)
                .params();
        assertEquals("diffusers", part0.get("sampler").asText());
        assertEquals(20, part0.get("num_inference_steps").asInt());
        ObjectNode chosen = JobRequests.check(
                        JobType.SAMPLE,
                        json("{\"type\": \"sample\", \"num_inference_steps\": 20, \"sampler\": \"course\"}"),
                        COMMON)
                .params();
        assertEquals("course", chosen.get("sampler").asText());
        assertEquals(
                "course",
                JobRequests.check(JobType.ONE_STEP_DENOISE, json("{\"image\": \"x\"}"), COMMON)
                        .params()
                        .get("sampler")
                        .asText());
    }

    @Test
    void badSamplerAndStepFieldsAreRejectedNamingTheField() {
        InvalidFieldException both = assertThrows(
                InvalidFieldException.class,
                () -> JobRequests.check(
                        JobType.SAMPLE, json("{\"num_inference_steps\": 20, \"timesteps\": \"smart50\"}"), COMMON));
        assertEquals("num_inference_steps", both.field());
        InvalidFieldException sampler = assertThrows(
                InvalidFieldException.class,
                () -> JobRequests.check(JobType.SAMPLE, json("{\"sampler\": \"ddim\"}"), COMMON));
        assertEquals("sampler", sampler.field());
        InvalidFieldException zero = assertThrows(
                InvalidFieldException.class,
                () -> JobRequests.check(
                        JobType.UPSCALE, json("{\"image\": \"x\", \"num_inference_steps\": 0}"), COMMON));
        assertEquals("num_inference_steps", zero.field());
    }

    @Test
    void anUpscaleIllusionTakesItsOwnFieldsOnly() throws Exception {
        ObjectNode anagram = JobRequests.check(
                        JobType.UPSCALE,
                        json(
                                "{\"image\": \"x\", \"illusion\": \"anagram\", \"prompts\": [\"a\", \"b\"], \"views\": [\"identity\","
                                        + " \"negate\"]}"),
                        COMMON)
                .params();
        assertEquals(50, anagram.get("noise_level").asInt());
        assertEquals("smart50", anagram.get("timesteps").asText());
        ObjectNode hybrid = JobRequests.check(
                        JobType.UPSCALE,
                        json("{\"image\": \"x\", \"illusion\": \"hybrid\", \"prompts\": [\"a\", \"b\"]}"),
                        COMMON)
                .params();
        assertEquals(33, hybrid.get("kernel_size").asInt());
        assertEquals(2.0, hybrid.get("sigma").asDouble());
        for (String[] bad : new String[][] {
            {"{\"image\": \"x\", \"views\": [\"flip\"]}", "views"},
            {"{\"image\": \"x\", \"illusion\": \"anagram\", \"prompts\": [\"a\"]}", "prompts"},
            {
                "{\"image\": \"x\", \"illusion\": \"anagram\", \"prompts\": [\"a\", \"b\"], \"views\": [\"flip\"]}",
                "views"
            },
            {"{\"image\": \"x\", \"illusion\": \"hybrid\", \"prompts\": [\"a\", \"b\", \"c\"]}", "prompts"},
            {
                "{\"image\": \"x\", \"illusion\": \"hybrid\", \"prompts\": [\"a\", \"b\"], \"kernel_size\": 4}",
                "kernel_size"
            },
            {"{\"image\": \"x\", \"illusion\": \"anagram\", \"prompts\": [\"a\", \"b\"], \"sigma\": 3}", "sigma"}
        }) {
            InvalidFieldException e = assertThrows(
                    InvalidFieldException.class,
                    () -> JobRequests.check(JobType.UPSCALE, json(bad[0]), COMMON),
                    bad[0]);
            assertEquals(bad[1], e.field(), bad[0]);
        }
    }
}
