package io.campanile.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.campanile.testkit.InfrastructureResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** POST /v1/tokenize: the prompt as the T5 encoder reads it. */
@QuarkusTest
@WithTestResource(value = InfrastructureResource.class, initArgs = @ResourceArg(name = "schema", value = "gateway"))
class TokenizeResourceTest {

    private static JsonPath tokenize(Map<String, Object> body) {
        return given().contentType("application/json")
                .body(body)
                .when()
                .post("/v1/tokenize")
                .then()
                .statusCode(200)
                .contentType("application/json")
                .extract()
                .jsonPath();
    }

    @Test
    void aPromptIsLowerCasedTokenizedAndPaddedTo77() {
        JsonPath r = tokenize(Map.of("text", "  A Photo of a DOG "));
        assertEquals(List.of("▁", "a", "▁photo", "▁of", "▁", "a", "▁dog", "</s>"), r.getList("pieces"));
        List<Integer> ids = r.getList("ids");
        assertEquals(77, ids.size());
        assertEquals(1, ids.get(7), "</s> is id 1");
        assertEquals(List.of(0), ids.subList(8, 77).stream().distinct().toList(), "padding is id 0");
        assertEquals(8, r.getInt("token_count"));
        assertEquals(false, r.getBoolean("truncated"));
        assertEquals(77, r.getInt("max_length"));
        assertEquals(ids, tokenize(Map.of("text", "a photo of a dog")).getList("ids"));
    }

    @Test
    void aLongPromptIsCutKeepingEndOfSequence() {
        JsonPath r = tokenize(Map.of("text", "dog ".repeat(100)));
        assertEquals(true, r.getBoolean("truncated"));
        assertEquals(77, r.getInt("token_count"));
        assertEquals("</s>", r.getList("pieces").get(76));
        assertEquals(1, (int) r.<Integer>getList("ids").get(76));
    }

    @Test
    void theEmptyPromptIsEndOfSequenceOnly() {
        given().contentType("application/json")
                .body(Map.of("text", ""))
                .when()
                .post("/v1/tokenize")
                .then()
                .statusCode(200)
                .body("pieces", equalTo(List.of("</s>")))
                .body("token_count", equalTo(1))
                .body("ids", hasSize(77));
    }

    @Test
    void textIsRequiredAndMustBeAString() {
        given().contentType("application/json")
                .body(Map.of("model", "x"))
                .when()
                .post("/v1/tokenize")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("field", equalTo("text"));
        given().contentType("application/json")
                .body(Map.of("text", 42))
                .when()
                .post("/v1/tokenize")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("field", equalTo("text"));
        given().contentType("application/json")
                .body("[]")
                .when()
                .post("/v1/tokenize")
                .then()
                .statusCode(400)
                .body("field", equalTo("text"));
    }

    @Test
    void textIsBoundedLikeAPrompt() {
        assertEquals(1, tokenize(Map.of("text", " ".repeat(2000))).getInt("token_count"), "2000 spaces are empty");
        given().contentType("application/json")
                .body(Map.of("text", "a" + " ".repeat(32_000) + "a"))
                .when()
                .post("/v1/tokenize")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("field", equalTo("text"))
                .body("detail", equalTo("'text' is longer than 2000 characters"));
        given().contentType("application/json")
                .body(Map.of("text", "a dog", "model", "m".repeat(201)))
                .when()
                .post("/v1/tokenize")
                .then()
                .statusCode(400)
                .body("field", equalTo("model"));
    }

    /** The packs of the repository's packs/ folder: IF stage I names the T5 pack, whose weights are not installed. */
    @Test
    void aT5ModelReadsThePromptWithTheT5Tokenizer() {
        List<Integer> plain = tokenize(Map.of("text", "a peacock")).getList("ids");
        assertEquals(
                plain,
                tokenize(Map.of("text", "a peacock", "model", "IF-I-XL-v1.0")).getList("ids"));
        assertEquals(
                plain,
                tokenize(Map.of("text", "a peacock", "model", "t5-v1_1-xxl")).getList("ids"));
    }

    @Test
    void anUnknownModelIs400() {
        given().contentType("application/json")
                .body(Map.of("text", "a dog", "model", "no-such-pack"))
                .when()
                .post("/v1/tokenize")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("field", equalTo("model"));
        given().contentType("application/json")
                .body(Map.of("text", "a dog", "model", 7))
                .when()
                .post("/v1/tokenize")
                .then()
                .statusCode(400)
                .body("field", equalTo("model"));
    }
}
