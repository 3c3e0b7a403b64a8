package io.campanile.textencoder;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.campanile.contracts.BlobRef;
import io.campanile.contracts.JobEventMessage;
import io.campanile.contracts.JobEventType;
import io.campanile.contracts.JobRequestMessage;
import io.campanile.contracts.Json;
import io.campanile.contracts.Topics;
import io.campanile.diffusion.image.Npy;
import io.campanile.diffusion.tensor.Tensor;
import io.campanile.platform.StorageClient;
import io.campanile.testpacks.TestFunctions;
import io.campanile.testpacks.TestPacks;
import io.campanile.text.Encoding;
import io.campanile.text.T5Tokenizer;
import io.campanile.textencoder.service.EmbeddingCache;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The text encoder end to end on test packs: requests on text-encode-requests, embeddings in the real storage service,
 * jobs forwarded to stage1-requests, events on job-events.
 */
@QuarkusTest
@WithTestResource(TextEncoderStackResource.class)
class TextEncoderTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static KafkaProbe kafka;
    private static T5Tokenizer tokenizer;

    @Inject
    MeterRegistry registry;

    /** The service's own storage client, with its token: what a replica of the encoder reads the cache with. */
    @Inject
    StorageClient storage;

    @BeforeAll
    static void open() {
        kafka = new KafkaProbe();
        tokenizer = T5Tokenizer.load();
    }

    @AfterAll
    static void close() {
        kafka.close();
        tokenizer.close();
    }

    record Job(JobRequestMessage request) implements KafkaProbe.Keyed {
        public String key() {
            return request.jobId().toString();
        }

        public Object value() {
            return request;
        }
    }

    private static JobRequestMessage job(String model, Map<String, Object> params) {
        ObjectNode p = Json.mapper().valueToTree(params);
        return JobRequestMessage.builder()
                .jobId(UUID.randomUUID())
                .jobType("sample")
                .model(model)
                .seed(34224309L)
                .params(p)
                .inputs(Map.of())
                .createdAt(Instant.now())
                .build();
    }

    /** A prompt no other test uses, so its first encoding is a cache miss. */
    private static String fresh(String prompt) {
        return prompt + " number "
                + UUID.randomUUID().toString().substring(0, 8).replaceAll("[0-9]", "");
    }

    private JobRequestMessage forwarded(JobRequestMessage request) {
        kafka.send(Topics.TEXT_ENCODE_REQUESTS, request.jobId().toString(), request);
        return kafka.await(Topics.STAGE1_REQUESTS, request.jobId().toString(), JobRequestMessage.class, 1, WAIT)
                .get(0);
    }

    private double count(String counter) {
        return registry.get(counter).counter().count();
    }

    @Test
    void forwardsTheJobWithTheEncoderStatesOfEveryPrompt() {
        String prompt = fresh("An Oil Painting of a Snowy Mountain Village");
        JobRequestMessage request = job(
                TestPacks.STAGE1,
                Map.of(
                        "prompt",
                        prompt,
                        "negative_prompt",
                        "",
                        "prompts",
                        List.of("a rocket ship", prompt),
                        "steps",
                        20));
        JobRequestMessage out = forwarded(request);

        assertEquals(request.jobId(), out.jobId());
        assertEquals(request.params(), out.params());
        assertEquals(Set.of("", prompt, "a rocket ship"), out.embeddings().keySet());
        for (Map.Entry<String, BlobRef> e : out.embeddings().entrySet()) {
            Tensor stored = Npy.decode(storage.getBlob(e.getValue()));
            stored.requireShape("embedding of '" + e.getKey() + "'", 77, 4096);
            Encoding enc = tokenizer.encodePrompt(e.getKey());
            Tensor expected = TestFunctions.t5(new long[][] {enc.ids()}, new long[][] {enc.attentionMask()});
            assertClose(expected.data(), stored.data(), 1e-4f, e.getKey());
        }
        List<JobEventMessage> events =
                kafka.await(Topics.JOB_EVENTS, request.jobId().toString(), JobEventMessage.class, 1, WAIT);
        assertEquals(JobEventType.PROGRESS, events.get(0).event());
        assertEquals("text_encoder", events.get(0).progress().stage());
        assertEquals(3, events.get(0).progress().total());
    }

    @Test
    void aUnetNamingAnExternalDataEncoderGetsThatEncodersStates() {
        String prompt = fresh("a lithograph of a skull");
        JobRequestMessage out = forwarded(job(TextEncoderStackResource.EXTERNAL_UNET, Map.of("prompt", prompt)));
        Encoding enc = tokenizer.encodePrompt(prompt);
        Tensor expected = TestFunctions.t5(new long[][] {enc.ids()}, new long[][] {enc.attentionMask()});
        assertClose(
                expected.data(),
                Npy.decode(storage.getBlob(out.embeddings().get(prompt))).data(),
                1e-4f,
                prompt);
        EmbeddingCache noMemory = new EmbeddingCache(storage, 0);
        assertEquals(
                out.embeddings().get(prompt),
                noMemory.find(EmbeddingCache.key(TextEncoderStackResource.EXTERNAL_ENCODER, prompt))
                        .orElseThrow());
        assertTrue(
                noMemory.find(EmbeddingCache.key(TestPacks.T5_ENCODER, prompt)).isEmpty(),
                "encoded by the UNet's own text encoder, not the default one");
    }

    @Test
    void aRepeatedPromptIsACacheHitAndRunsNoEncoder() {
        String prompt = fresh("a lithograph of waterfalls");
        JobRequestMessage first = forwarded(job(TestPacks.STAGE1, Map.of("prompt", prompt)));
        double hits = count("campanile.text.cache.hits");
        double misses = count("campanile.text.cache.misses");
        long runs = registry.get("campanile.text.batch.size").summary().count();

        String sameAfterNormalising = "  " + prompt.toUpperCase(Locale.ROOT) + "\n";
        JobRequestMessage second = forwarded(job(TestPacks.STAGE1, Map.of("prompt", sameAfterNormalising)));

        assertEquals(hits + 2, count("campanile.text.cache.hits"), "the prompt and \"\" were both cached");
        assertEquals(misses, count("campanile.text.cache.misses"));
        assertEquals(runs, registry.get("campanile.text.batch.size").summary().count(), "no encoder run");
        assertEquals(first.embeddings().get(prompt), second.embeddings().get(sameAfterNormalising));
        assertEquals(first.embeddings().get(""), second.embeddings().get(""));
        EmbeddingCache noMemory = new EmbeddingCache(storage, 0);
        assertEquals(
                first.embeddings().get(prompt),
                noMemory.find(EmbeddingCache.key(TestPacks.T5_ENCODER, prompt)).orElseThrow(),
                "a replica that never saw the prompt finds its embedding in storage");
        given().when()
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .body(containsString("campanile_text_cache_hits_total"))
                .body(containsString("campanile_text_cache_misses_total"))
                .body(containsString("campanile_text_encode_seconds"))
                .body(containsString("campanile_text_batch_size"));
    }

    @Test
    void promptsOfConcurrentJobsAreEncodedInOneBatch() {
        forwarded(job(TestPacks.STAGE1, Map.of("prompt", fresh("warm up")))); // "" is cached from here on
        DistributionSummary batches = registry.get("campanile.text.batch.size").summary();
        long runs = batches.count();
        double prompts = batches.totalAmount();
        List<Job> jobs = new ArrayList<>();
        for (String p : List.of("a peacock", "a forest", "a pencil", "a photo of a dog")) {
            jobs.add(new Job(job(TestPacks.STAGE1, Map.of("prompt", fresh(p)))));
        }
        kafka.sendAll(Topics.TEXT_ENCODE_REQUESTS, jobs);
        for (Job j : jobs) {
            JobRequestMessage out = kafka.await(Topics.STAGE1_REQUESTS, j.key(), JobRequestMessage.class, 1, WAIT)
                    .get(0);
            assertEquals(2, out.embeddings().size());
        }
        assertEquals(4, batches.totalAmount() - prompts, 1e-9, "four new prompts were encoded");
        long newRuns = batches.count() - runs;
        assertTrue(newRuns < 4, "four prompts of four jobs took " + newRuns + " encoder runs");
    }

    @Test
    void moreJobsThanABatchAreAllForwardedInBatchesOfAtMostMaxBatch() {
        forwarded(job(TestPacks.STAGE1, Map.of("prompt", fresh("warm up")))); // "" is cached from here on
        DistributionSummary batches = registry.get("campanile.text.batch.size").summary();
        double prompts = batches.totalAmount();
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 19; i++) {
            jobs.add(new Job(job(TestPacks.STAGE1, Map.of("prompt", fresh("a forest " + (char) ('a' + i))))));
        }
        kafka.sendAll(Topics.TEXT_ENCODE_REQUESTS, jobs);
        for (Job j : jobs) {
            kafka.await(Topics.STAGE1_REQUESTS, j.key(), JobRequestMessage.class, 1, WAIT);
        }
        assertEquals(19, batches.totalAmount() - prompts, 1e-9, "each new prompt encoded once");
        assertTrue(batches.max() <= 8, "max-batch is 8, a run had " + batches.max());
    }

    @Test
    void readyAndLiveWhileTheConsumerRuns() {
        given().when()
                .get("/q/health/ready")
                .then()
                .statusCode(200)
                .body(containsString("consumer loops subscribed"), containsString("text-encode-requests"));
        given().when()
                .get("/q/health/live")
                .then()
                .statusCode(200)
                .body(containsString("consumer loops polling"), containsString("text-encode-requests"));
    }

    @Test
    void anUnknownEncoderPackFailsTheJob() {
        JobRequestMessage request = job(TextEncoderStackResource.ORPHAN_UNET, Map.of("prompt", "a peacock"));
        kafka.send(Topics.TEXT_ENCODE_REQUESTS, request.jobId().toString(), request);
        JobEventMessage event = kafka.await(
                        Topics.JOB_EVENTS, request.jobId().toString(), JobEventMessage.class, 1, WAIT)
                .get(0);
        assertEquals(JobEventType.FAILED, event.event());
        assertTrue(event.error().contains("'" + TextEncoderStackResource.MISSING_ENCODER + "'"), event.error());
    }

    @Test
    void aUnetThatTakesOtherStatesFailsTheJob() {
        JobRequestMessage request = job(TextEncoderStackResource.NARROW_UNET, Map.of("prompt", "a peacock"));
        kafka.send(Topics.TEXT_ENCODE_REQUESTS, request.jobId().toString(), request);
        JobEventMessage event = kafka.await(
                        Topics.JOB_EVENTS, request.jobId().toString(), JobEventMessage.class, 1, WAIT)
                .get(0);
        assertEquals(JobEventType.FAILED, event.event());
        assertTrue(event.error().contains("[77, 64]") && event.error().contains("[77, 4096]"), event.error());
    }

    private static void assertClose(float[] expected, float[] actual, float tol, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            if (Math.abs(expected[i] - actual[i]) > tol) {
                throw new AssertionError(
                        "'" + what + "' differs at " + i + ": expected " + expected[i] + " but was " + actual[i]);
            }
        }
    }
}
