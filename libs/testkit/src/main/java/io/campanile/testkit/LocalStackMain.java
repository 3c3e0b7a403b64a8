package io.campanile.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import io.campanile.contracts.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./campanile up}: starts the local stack with its data in {@code .campanile/}, runs one real job on the default
 * pack (four 7s sampled from the shipped, trained MNIST pack) to show the system works, and runs until Ctrl-C or
 * SIGTERM. Meanwhile the {@link Supervisor} restarts any service that dies or stays not live, and says so.
 * Options: {@code --no-demo}, {@code --stage1-replicas N}, {@code --data-dir DIR}. With the environment variable
 * {@code CAMPANILE_TEST_PACKS=1} the project's generated test packs are installed too, so every job type can be
 * tried without IF weights.
 */
public final class LocalStackMain {
    /** The shipped pack the local stack uses by default (packs/mnist-class, trained by our trainer). */
    static final String TRAINED_PACK = "mnist-class";

    private LocalStackMain() {}

    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("campanile.root", "."))
                .toAbsolutePath()
                .normalize();
        Path data = root.resolve(".campanile");
        boolean demo = true;
        int replicas = 1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--no-demo" -> demo = false;
                case "--stage1-replicas" -> replicas = Integer.parseInt(args[++i]);
                case "--data-dir" -> data = Path.of(args[++i]).toAbsolutePath();
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        long t0 = System.nanoTime();
        boolean testPacks = "1".equals(System.getenv("CAMPANILE_TEST_PACKS"));
        boolean trained = hasTrainedPack(root);
        LocalStack stack = new LocalStack(
                new LocalStack.Options(root, data, true, true, replicas, testPacks, serviceConfig(root)));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("campanile: stopping...");
            stack.close();
            System.out.println("campanile: stopped");
            stopped.countDown();
        }));
        stack.start();
        System.out.printf("campanile: up in %.1f s; data and logs in %s%n", (System.nanoTime() - t0) / 1e9, data);
        System.out.println("campanile: gateway listening on " + stack.gatewayUrl() + " (API docs: " + stack.gatewayUrl()
                + "/q/swagger-ui)");
        System.out.println("campanile: admin API key " + stack.apiKey() + " (kept in "
                + root.resolve(".campanile").resolve("api-key") + "; the CLI reads it there)");
        System.out.println("campanile: dashboard: " + stack.loginUrl());
        if (demo) {
            runDemo(
                    stack.gatewayUrl(),
                    stack.apiKey(),
                    trained ? sampleDigits() : forwardPhoto(root.resolve("examples/chelsea.png")));
        }
        System.out.println("campanile: running; Ctrl-C to stop");
        stopped.await();
    }

    /** Whether the shipped, trained MNIST pack has its weights (packs/mnist-class/unet.onnx). */
    static boolean hasTrainedPack(Path root) {
        return Files.isRegularFile(root.resolve("packs").resolve(TRAINED_PACK).resolve("unet.onnx"));
    }

    /**
     * The configuration {@code ./campanile up} gives the services: the default model is the class-conditioned MNIST
     * UNet our trainer made (real weights, shipped in packs/) when it is there. Tests that run what the README tells
     * a user to run use it too, so they see the same default model.
     */
    public static Map<String, String> serviceConfig(Path root) {
        return hasTrainedPack(root) ? Map.of("campanile.gateway.default-model", TRAINED_PACK) : Map.of();
    }

    /** The demo on the default pack: four 7s sampled with classifier-free guidance 5, as in the course. */
    static Demo sampleDigits() {
        return new Demo(
                "sampling four 7s from " + TRAINED_PACK + " (300 DDPM steps, guidance 5)",
                Json.mapper()
                        .createObjectNode()
                        .put("type", "sample")
                        .put("prompt", "7")
                        .put("guidance_scale", 5.0)
                        .put("num_images", 4)
                        .put("seed", 34224309)
                        .toString());
    }

    /** The demo without the trained pack: forward diffusion of the example photo. */
    static Demo forwardPhoto(Path photo) throws IOException {
        return new Demo(
                "forward diffusion of " + photo.getFileName() + " at t = 250, 500, 750",
                Json.mapper()
                        .createObjectNode()
                        .put("type", "forward")
                        .put("seed", 34224309)
                        .put("image", Base64.getEncoder().encodeToString(Files.readAllBytes(photo)))
                        .toString());
    }

    record Demo(String what, String body) {}

    /** Submits the demo job and prints its outputs. */
    static void runDemo(String gateway, String apiKey, Demo demo) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String body = demo.body();
        long t0 = System.nanoTime();
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(gateway + "/v1/jobs"))
                        .header("Content-Type", "application/json")
                        .header("Authorization", "Bearer " + apiKey)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 202) {
            System.out.println("campanile: demo job refused: " + r.statusCode() + " " + r.body());
            return;
        }
        String id = Json.mapper().readTree(r.body()).get("id").asText();
        System.out.println("campanile: demo job " + id + " submitted (" + demo.what() + ")");
        JsonNode job = null;
        for (int i = 0; i < 600; i++) {
            job = Json.mapper()
                    .readTree(http.send(
                                    HttpRequest.newBuilder(URI.create(gateway + "/v1/jobs/" + id))
                                            .header("Authorization", "Bearer " + apiKey)
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .body());
            String status = job.get("status").asText();
            if (status.equals("SUCCEEDED") || status.equals("FAILED") || status.equals("CANCELLED")) {
                break;
            }
            Thread.sleep(Duration.ofMillis(100).toMillis());
        }
        System.out.printf(
                "campanile: demo job %s in %.2f s%n", job.get("status").asText(), (System.nanoTime() - t0) / 1e9);
        for (JsonNode o : job.get("outputs")) {
            System.out.println("  " + o.get("role").asText() + ": " + gateway
                    + o.get("url").asText() + "  (raw tensor: ?format=npy)");
        }
        if (job.hasNonNull("error")) {
            System.out.println("  error: " + job.get("error").asText());
        }
    }
}
