package io.campanile.system;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.path.json.JsonPath;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
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

    /** One Server-Sent Event as received. */
    record Sse(long id, String name, String data) {}

    /** The events of a whole stream, read until the gateway closes it. */
    static List<Sse> stream(String path) {
        String text = given().accept("text/event-stream")
                .when()
                .get(path)
                .then()
                .statusCode(200)
                .extract()
                .asString();
        List<Sse> events = new ArrayList<>();
        String id = null;
        String name = null;
        StringBuilder data = new StringBuilder();
        for (String line : (text + "\n\n").split("\n", -1)) {
            if (line.isEmpty()) {
                if (name != null) {
                    assertTrue(id != null, "every event has an id: " + text);
                    events.add(new Sse(Long.parseLong(id), name, data.toString()));
                }
                id = null;
                name = null;
                data.setLength(0);
            } else if (line.startsWith("id:")) {
                id = line.substring(3).trim();
            } else if (line.startsWith("event:")) {
                name = line.substring(6).trim();
            } else if (line.startsWith("data:")) {
                data.append(line.substring(5).trim());
            }
        }
        for (int i = 1; i < events.size(); i++) {
            assertTrue(events.get(i).id() > events.get(i - 1).id(), "ids increase: " + events);
        }
        return events;
    }

    @Test
    void serverSentEventsFollowTheJobAndCloseAtItsTerminalState() {
        String id = Jobs.submit(Jobs.request("blur_denoise", "t", List.of(100, 200, 300, 400, 500, 600)));
        List<Sse> events = stream("/v1/jobs/" + id + "/events");
        assertTrue(events.size() >= 2, events.toString());
        assertEquals("status", events.get(0).name());
        assertEquals(id, JsonPath.from(events.get(0).data()).getString("id"));
        Sse last = events.get(events.size() - 1);
        assertEquals("status", last.name());
        assertEquals("SUCCEEDED", JsonPath.from(last.data()).getString("status"), events.toString());
    }

    @Test
    void aSampleJobsStreamShowsProgressAPreviewItsOutputsAndItsEnd() throws Exception {
        Map<String, Object> body = new HashMap<>();
        body.put("type", "sample");
        body.put("model", "test-if-stage1");
        body.put("prompt", "a photo of a dog");
        body.put("num_inference_steps", 60);
        body.put("seed", 34224309L);
        String id = Jobs.submit(body);
        List<Sse> events = stream("/v1/jobs/" + id + "/events");
        List<String> names = events.stream().map(Sse::name).toList();
        assertEquals("status", names.get(0), names.toString());
        assertTrue(names.contains("progress"), names.toString());
        assertTrue(names.contains("preview"), names.toString());
        assertTrue(names.contains("output"), names.toString());
        Sse last = events.get(events.size() - 1);
        assertEquals("SUCCEEDED", JsonPath.from(last.data()).getString("status"), last.data());

        assertTrue(
                events.stream()
                        .filter(e -> e.name().equals("progress"))
                        .map(e -> JsonPath.from(e.data()))
                        .anyMatch(p -> p.getInt("total") == 60 && p.getInt("step") >= 1),
                "the sampling loop's progress (the text encoder reports its own first): " + events);
        JsonPath preview = JsonPath.from(events.get(names.indexOf("preview")).data());
        String url = preview.getString("image");
        assertTrue(url.startsWith("data:image/png;base64,"), url);
        BufferedImage png = ImageIO.read(
                new ByteArrayInputStream(Base64.getDecoder().decode(url.substring("data:image/png;base64,".length()))));
        assertEquals(64, png.getWidth(), "a stage-I preview is at most 64 px wide");
        assertTrue(preview.getInt("step") % 5 == 0 && preview.getInt("step") < 60, preview.prettify());
        Set<String> streamed = new HashSet<>();
        events.stream()
                .filter(e -> e.name().equals("output"))
                .forEach(e -> streamed.add(JsonPath.from(e.data()).getString("image_id")));
        assertEquals(
                new HashSet<>(JsonPath.from(last.data()).getList("outputs.image_id")),
                streamed,
                "every output was streamed");
        given().when().get("/v1/jobs/" + id + "/preview").then().statusCode(200).contentType("image/png");
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
