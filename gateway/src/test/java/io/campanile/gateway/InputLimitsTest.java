package io.campanile.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.campanile.diffusion.image.PngText;
import io.campanile.gateway.service.JobQueries;
import io.campanile.testkit.InfrastructureResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * The gateway's input limits: images bounded on their header, train jobs on their memory estimate, strings and
 * cursors on their length and range, and no state change from a cross-site form. Each is a 400 (415 for the form)
 * naming the field.
 */
@QuarkusTest
@WithTestResource(value = InfrastructureResource.class, initArgs = @ResourceArg(name = "schema", value = "gateway"))
class InputLimitsTest {
    @TestHTTPResource("/")
    URL base;

    /** A PNG whose IHDR declares the size, with an IDAT that is not even zlib: only a header read gets through. */
    static String pngHeader(int width, int height, int bitDepth, int colourType) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PngText.writeSignature(out);
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height);
        ihdr.put((byte) bitDepth)
                .put((byte) colourType)
                .put((byte) 0)
                .put((byte) 0)
                .put((byte) 0);
        PngText.writeChunk(out, "IHDR", ihdr.array());
        PngText.writeChunk(out, "IDAT", new byte[] {1, 2, 3});
        PngText.writeChunk(out, "IEND", new byte[0]);
        return Base64.getEncoder().encodeToString(out.toByteArray());
    }

    static String realPng(int width, int height) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY), "png", out);
        return Base64.getEncoder().encodeToString(out.toByteArray());
    }

    private static void refused(Object body, String field, String detailPart) {
        given().contentType("application/json")
                .body(body)
                .when()
                .post("/v1/jobs")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("field", equalTo(field))
                .body("detail", containsString(detailPart));
    }

    @Test
    void imagesAreBoundedOnTheirHeader() throws IOException {
        refused(Map.of("type", "forward", "image", pngHeader(1, 16_777_216, 8, 0)), "image", "8192 pixels a side");
        refused(Map.of("type", "forward", "image", pngHeader(8000, 400, 8, 0)), "image", "16 times the shorter");
        refused(Map.of("type", "forward", "image", pngHeader(4096, 4096, 16, 6)), "image", "limit is 67108864 bytes");
        refused(
                Map.of("type", "inpaint", "prompt", "a dog", "image", realPng(64, 64), "mask", pngHeader(2, 64, 8, 0)),
                "mask",
                "is 2x64 pixels");
    }

    @Test
    void trainJobsMustFitTheTrainersMemory() {
        refused(
                Map.of("type", "train", "architecture", "denoiser", "hidden_dim", 256, "batch_size", 4096),
                "batch_size",
                "fits)");
        refused(
                Map.of("type", "train", "architecture", "class_conditioned", "hidden_dim", 512, "batch_size", 1),
                "hidden_dim",
                "'hidden_dim' is too large");
    }

    @Test
    void stringsAreBounded() {
        refused(Map.of("type", "sample", "prompt", "p".repeat(2001)), "prompt", "longer than 2000 characters");
        refused(Map.of("type", "sample", "prompt", "a dog", "model", "m".repeat(201)), "model", "200 characters");
        refused(Map.of("type", "t".repeat(5000)), "type", "'type' is required");
    }

    @Test
    void deepJsonIsRefusedWhileParsing() {
        String deep = "{\"type\":\"forward\",\"t\":" + "[".repeat(40) + "]".repeat(40) + "}";
        refused(deep, "body", "nesting depth");
        refused("{\"type\":\"forward\",\"seed\":" + "9".repeat(500) + "}", "body", "malformed JSON");
        given().contentType("application/json")
                .body("{\"text\":" + "[".repeat(40) + "]".repeat(40) + "}")
                .when()
                .post("/v1/tokenize")
                .then()
                .statusCode(400)
                .body("field", equalTo("body"));
    }

    @Test
    void aCursorOutsideTheTimesOfJobsIs400() {
        String far = new JobQueries.Cursor(Instant.ofEpochSecond(400_000_000_000L), UUID.randomUUID()).encode();
        String early = new JobQueries.Cursor(Instant.ofEpochSecond(-5), UUID.randomUUID()).encode();
        for (String cursor : new String[] {far, early, "x".repeat(300)}) {
            given().queryParam("cursor", cursor)
                    .when()
                    .get("/v1/jobs")
                    .then()
                    .statusCode(400)
                    .body("field", equalTo("cursor"));
        }
    }

    @Test
    void aCrossSiteFormChangesNothing() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        URI cancel = base.toURI().resolve("/v1/jobs/" + UUID.randomUUID() + "/cancel");
        String[][] crossSite = {
            {"Sec-Fetch-Site", "cross-site"},
            {"Sec-Fetch-Site", "same-site"},
            {"Origin", "https://evil.example"},
            {"Origin", "null"}
        };
        for (String[] header : crossSite) {
            HttpResponse<String> r = client.send(
                    HttpRequest.newBuilder(cancel)
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            // with a valid key, so that the cross-site guard, not the key check, is what answers
                            .header("Authorization", "Bearer " + TestKeys.ADMIN)
                            .header(header[0], header[1])
                            .POST(HttpRequest.BodyPublishers.ofString("a=b"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(403, r.statusCode(), header[0] + ": " + header[1]);
            assertEquals(
                    "application/problem+json",
                    r.headers().firstValue("Content-Type").orElse(""));
            assertTrue(r.body().contains("\"field\":\"Origin\""), r.body());
        }
        String self = base.getProtocol() + "://" + base.getHost() + ":" + base.getPort();
        given().header("Origin", self).when().post(cancel.getPath()).then().statusCode(404);
        given().header("Sec-Fetch-Site", "same-origin")
                .when()
                .post(cancel.getPath())
                .then()
                .statusCode(404);
        given().when().post(cancel.getPath()).then().statusCode(404);
        given().header("Origin", "https://evil.example")
                .when()
                .get("/v1/jobs")
                .then()
                .statusCode(200);
    }
}
