package io.campanile.system;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.path.json.JsonPath;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The public API's contract: validation problems, idempotency, listing, SSE. */
@ExtendWith(Stack.Extension.class)
class GatewayApiTest {

    static long jobCount() throws Exception {
        try (Connection c = Stack.get().postgres().connect();
                ResultSet rs = c.createStatement().executeQuery("select count(*) from gateway.jobs")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static String hugePng() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(5000, 4000, BufferedImage.TYPE_BYTE_GRAY), "png", out);
        return Base64.getEncoder().encodeToString(out.toByteArray());
    }

    static List<Arguments> badRequests() throws Exception {
        String photo = Jobs.photo();
        return List.of(
                Arguments.of("{\"image\":\"" + photo + "\"}", "type"),
                Arguments.of("{\"type\":\"teleport\"}", "type"),
                Arguments.of("{\"type\":\"forward\"}", "image"),
                Arguments.of("{\"type\":\"forward\",\"image\":\"***not base64***\"}", "image"),
                Arguments.of("{\"type\":\"forward\",\"image\":\"aGVsbG8gd29ybGQ=\"}", "image"),
                Arguments.of("{\"type\":\"forward\",\"image\":\"" + hugePng() + "\"}", "image"),
                Arguments.of("{\"type\":\"forward\",\"image\":\"" + photo + "\",\"t\":[250,1000]}", "t[1]"),
                Arguments.of("{\"type\":\"forward\",\"image\":\"" + photo + "\",\"t\":-1}", "t"),
                Arguments.of("{\"type\":\"forward\",\"image\":\"" + photo + "\",\"t\":[]}", "t"),
                Arguments.of(
                        "{\"type\":\"blur_denoise\",\"image\":\"" + photo + "\",\"kernel_size\":4}", "kernel_size"),
                Arguments.of("{\"type\":\"blur_denoise\",\"image\":\"" + photo + "\",\"sigma\":0}", "sigma"),
                Arguments.of("{\"type\":\"forward\",\"image\":\"" + photo + "\",\"seed\":1.5}", "seed"),
                Arguments.of("{\"type\":\"forward\",\"image\":\"" + photo + "\",\"model\":\"nope\"}", "model"),
                Arguments.of("{\"type\":\"forward\",\"image\":\"" + photo + "\",\"prompt\":\"a cat\"}", "prompt"),
                Arguments.of("{\"type\":\"forward\",", "body"),
                Arguments.of("[1,2]", "body"));
    }

    @ParameterizedTest
    @MethodSource("badRequests")
    void badInputIsA400ProblemNamingTheFieldAndCreatesNoJob(String body, String field) throws Exception {
        long before = jobCount();
        given().contentType("application/json")
                .body(body)
                .when()
                .post("/v1/jobs")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("field", equalTo(field));
        assertEquals(before, jobCount());
    }

    @Test
    void unknownJobIs404() {
        given().when()
                .get("/v1/jobs/" + UUID.randomUUID())
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        given().when().get("/v1/jobs/not-a-uuid").then().statusCode(404);
        given().when().post("/v1/jobs/" + UUID.randomUUID() + "/cancel").then().statusCode(404);
    }

    @Test
    void sameIdempotencyKeyAndBodyGiveTheSameJobAndAnotherBodyIsAConflict() {
        String key = "retry-" + UUID.randomUUID();
        Map<String, Object> body = Jobs.request("forward", "t", List.of(100));
        String first = given().contentType("application/json")
                .header("Idempotency-Key", key)
                .body(body)
                .when()
                .post("/v1/jobs")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        String again = given().contentType("application/json")
                .header("Idempotency-Key", key)
                .body(body)
                .when()
                .post("/v1/jobs")
                .then()
                .statusCode(202)
                .header("Idempotent-Replayed", "true")
                .extract()
                .path("id");
        assertEquals(first, again);
        given().contentType("application/json")
                .header("Idempotency-Key", key)
                .body(Jobs.request("forward", "t", List.of(200)))
                .when()
                .post("/v1/jobs")
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("field", equalTo("Idempotency-Key"));
        String other = Jobs.submit(body);
        assertNotEquals(first, other);
    }

    @Test
    void seedIsRandomWhenAbsentAndAlwaysReported() {
        String a = Jobs.submit(Jobs.request("forward", "t", List.of(1)));
        String b = Jobs.submit(Jobs.request("forward", "t", List.of(1)));
        assertNotEquals(Jobs.job(a).getLong("seed"), Jobs.job(b).getLong("seed"));
    }

    @Test
    void listingFiltersByTypeAndStatusAndPagesWithoutOverlap() {
        for (int i = 0; i < 3; i++) {
            Jobs.awaitTerminal(Jobs.submit(Jobs.request("blur_denoise", "t", List.of(50 + i))));
        }
        Set<String> seen = new HashSet<>();
        String cursor = null;
        int pages = 0;
        do {
            var req = given().queryParam("type", "blur_denoise")
                    .queryParam("status", "succeeded")
                    .queryParam("limit", 2);
            if (cursor != null) {
                req.queryParam("cursor", cursor);
            }
            var page =
                    req.when().get("/v1/jobs").then().statusCode(200).extract().jsonPath();
            List<String> ids = page.getList("items.id");
            page.getList("items.type").forEach(t -> assertEquals("blur_denoise", t));
            page.getList("items.status").forEach(s -> assertEquals("SUCCEEDED", s));
            for (String id : ids) {
                assertTrue(seen.add(id), "page overlap at " + id);
            }
            cursor = page.getString("next_cursor");
            pages++;
        } while (cursor != null && pages < 100);
        assertTrue(seen.size() >= 3 && pages >= 2, "seen " + seen.size() + " in " + pages + " pages");
        given().queryParam("status", "sleeping")
                .when()
                .get("/v1/jobs")
                .then()
                .statusCode(400)
                .body("field", equalTo("status"));
        given().queryParam("cursor", "garbage!")
                .when()
                .get("/v1/jobs")
                .then()
                .statusCode(400)
                .body("field", equalTo("cursor"));
    }

    @Test
    void serverSentEventsFollowTheJobAndCloseAtItsTerminalState() {
        String id = Jobs.submit(Jobs.request("blur_denoise", "t", List.of(100, 200, 300, 400, 500, 600)));
        String stream = given().accept("text/event-stream")
                .when()
                .get("/v1/jobs/" + id + "/events")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        List<String> events = new ArrayList<>();
        for (String line : stream.split("\n")) {
            if (line.startsWith("data:")) {
                events.add(line);
            }
        }
        assertTrue(events.size() >= 2, stream);
        assertTrue(events.get(events.size() - 1).contains("\"status\":\"SUCCEEDED\""), stream);
        assertTrue(events.get(0).contains("\"id\":\"" + id + "\""));
    }

    @Test
    void openApiDocumentsTheJobsApi() {
        given().when()
                .get("/q/openapi?format=json")
                .then()
                .statusCode(200)
                .body(containsString("/v1/jobs/{id}/events"));
    }

    @Test
    void openApiDescribesEveryJobTypesBodyAsOneOfFromTheJobSchema() {
        JsonPath doc = given().when()
                .get("/q/openapi?format=json")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals(11, doc.getList("components.schemas.JobRequest.oneOf").size());
        assertEquals("sample", doc.getString("components.schemas.SampleJob.properties.type.enum[0]"));
        assertEquals(7.0f, doc.getFloat("components.schemas.SampleJob.properties.guidance_scale.default"));
        assertEquals(
                List.of("course", "diffusers"), doc.getList("components.schemas.SampleJob.properties.sampler.enum"));
        assertEquals(
                "#/components/schemas/JobRequest",
                doc.getString("paths.'/v1/jobs'.post.requestBody.content.'application/json'.schema.$ref"));
    }

    @Test
    void jobTypesListEveryTypeWithTheSameFieldsAsTheOpenApiDocument() {
        JsonPath types = given().when()
                .get("/v1/job-types")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals(11, types.getList("type").size());
        assertEquals("sample", types.getString("find { it.type == 'sample' }.type"));
        assertTrue(types.getString("find { it.type == 'sample' }.summary").contains("pure noise"));
        String field = "find { it.type == 'sample' }.fields.find { it.name == 'guidance_scale' }";
        assertEquals("number", types.getString(field + ".kind"));
        assertEquals(7.0f, types.getFloat(field + ".default"));
        assertEquals(0.0f, types.getFloat(field + ".minimum"));
        assertEquals(100.0f, types.getFloat(field + ".maximum"));
        assertEquals(
                List.of("repaint", "keep_clean"),
                types.getList("find { it.type == 'inpaint' }.fields.find { it.name == 'mode' }.choices"));
        assertEquals(
                true, types.getBoolean("find { it.type == 'inpaint' }.fields.find { it.name == 'mask' }.required"));
        given().when().get("/v1/job-types/sample").then().statusCode(200);
        given().when().get("/v1/job-types/nope").then().statusCode(404).contentType("application/problem+json");
    }
}
