package io.campanile.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.campanile.contracts.Json;
import io.campanile.testkit.LocalStack;
import io.campanile.testpacks.TestPacks;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The benchmarks' jobs through the gateway: the bench sample job, submitting, waiting, and the job's timestamps. */
final class BenchJobs {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final List<String> ENDED = List.of("SUCCEEDED", "FAILED", "CANCELLED");

    private BenchJobs() {}

    /**
     * A 34-step classifier-free-guidance {@code sample} of one image on {@code bench-if-stage1}: diffusers' loop steps
     * from every entry of 990, 960, ..., 0 (34 batch-2 UNet calls; the course's loop stops at 0 after 33).
     */
    static ObjectNode benchSample(long seed) {
        return Json.mapper()
                .createObjectNode()
                .put("type", "sample")
                .put("model", TestPacks.BENCH)
                .put("prompt", "a lithograph of waterfalls")
                .put("guidance_scale", 7.0)
                .put("num_images", 1)
                .put("sampler", "diffusers")
                .put("seed", seed);
    }

    /**
     * Starts the whole system with the test packs (from {@code campanile.root}, in a fresh data folder), with
     * {@code modules}' extra configuration by module; {@code setup} says how, in the line printed.
     */
    static LocalStack startStack(String setup, Map<String, Map<String, String>> modules) throws Exception {
        Path root = Path.of(System.getProperty("campanile.root", "."))
                .toAbsolutePath()
                .normalize();
        Path data = Files.createTempDirectory("campanile-bench");
        System.out.println("starting the system with test packs" + setup + " (data in " + data + ") ...");
        // The benchmarks submit one job after another as fast as the engine ends them (over 120 a minute at today's
        // speed): the tenant's submission rate limit is lifted, as it is not what they measure.
        Map<String, Map<String, String>> all = new HashMap<>(modules);
        Map<String, String> gateway = new HashMap<>(all.getOrDefault("gateway", Map.of()));
        gateway.putIfAbsent("campanile.gateway.limits.submissions-per-minute", "1000000");
        all.put("gateway", gateway);
        return new LocalStack(new LocalStack.Options(root, data, false, false, 1, true, Map.of(), all)).start();
    }

    /** Submits the job; its id. */
    static String submit(String gateway, String key, ObjectNode body) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create(gateway + "/v1/jobs"))
                        .header("Content-Type", "application/json")
                        .header("Authorization", "Bearer " + key)
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 202) {
            throw new IllegalStateException("job refused: " + r.statusCode() + " " + r.body());
        }
        return Json.mapper().readTree(r.body()).get("id").asText();
    }

    /** Polls the job every {@code every} until it ends; the job, which must have SUCCEEDED. */
    static JsonNode awaitSuccess(String gateway, String key, String id, Duration every)
            throws IOException, InterruptedException {
        JsonNode job;
        do {
            Thread.sleep(every.toMillis()); // polling faster competes with the jobs for the 2 cores
            job = Json.mapper()
                    .readTree(HTTP.send(
                                    HttpRequest.newBuilder(URI.create(gateway + "/v1/jobs/" + id))
                                            .header("Authorization", "Bearer " + key)
                                            .timeout(Duration.ofSeconds(10))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .body());
        } while (!ENDED.contains(job.get("status").asText()));
        if (!"SUCCEEDED".equals(job.get("status").asText())) {
            throw new IllegalStateException("job " + id + " ended " + job.get("status") + ": " + job.get("error"));
        }
        return job;
    }

    /** Seconds between two of the job's timestamps (the gateway's and the worker's clocks: one machine here). */
    static double seconds(JsonNode job, String from, String to) {
        return Duration.between(instant(job, from), instant(job, to)).toNanos() / 1e9;
    }

    static Instant instant(JsonNode job, String field) {
        return Instant.parse(job.get(field).asText());
    }
}
