package io.campanile.system;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import io.restassured.path.json.JsonPath;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;

/** Helpers to submit jobs and wait for them through the public API. */
final class Jobs {
    static final Set<String> TERMINAL = Set.of("SUCCEEDED", "FAILED", "CANCELLED");

    private Jobs() {}

    static String photo() {
        try {
            Path root = Path.of(System.getProperty("campanile.root", "..")).toAbsolutePath();
            return Base64.getEncoder().encodeToString(Files.readAllBytes(root.resolve("examples/chelsea.png")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A 64 x 64 PNG mask: white (new content) in the top half, black below. */
    static String halfMask() {
        BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 64; x++) {
                img.getRaster().setSample(x, y, 0, 255);
            }
        }
        return png(img);
    }

    /** An image as a base64 PNG, as job requests carry it. */
    static String png(BufferedImage img) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(img, "png", out);
            return Base64.getEncoder().encodeToString(out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, Object> request(String type, Object... kv) {
        Map<String, Object> body = new HashMap<>();
        body.put("type", type);
        body.put("image", photo());
        for (int i = 0; i < kv.length; i += 2) {
            body.put((String) kv[i], kv[i + 1]);
        }
        return body;
    }

    static String submit(Map<String, Object> body) {
        return given().contentType("application/json")
                .body(body)
                .when()
                .post("/v1/jobs")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
    }

    static JsonPath job(String id) {
        return given().when()
                .get("/v1/jobs/" + id)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    static JsonPath awaitTerminal(String id) {
        return awaitTerminal(id, Duration.ofSeconds(90));
    }

    static JsonPath awaitTerminal(String id, Duration atMost) {
        await().atMost(atMost)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> TERMINAL.contains(job(id).getString("status")));
        return job(id);
    }
}
