package io.campanile.storage;

import static io.campanile.storage.ServiceCalls.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.campanile.contracts.ServiceCredentials;
import io.campanile.testkit.InfrastructureResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Service authentication of the internal API on real PostgreSQL (issue 15): no token or a bad one is a 401, a ref bound
 * in a namespace the caller does not own a 403, and the forged-embedding attack of the issue fails.
 */
@QuarkusTest
@WithTestResource(value = InfrastructureResource.class, initArgs = @ResourceArg(name = "schema", value = "storage"))
class ServiceAuthTest {
    private static final String EMBEDDINGS = "/internal/refs/text-embeddings/";
    private static final String JOB_FILES = "/internal/refs/job-files/";

    private static String blob(RequestSpecification as, String text) {
        return as.contentType("application/x-npy")
                .body(text.getBytes(StandardCharsets.UTF_8))
                .when()
                .post("/internal/blobs")
                .then()
                .statusCode(200)
                .extract()
                .path("sha256");
    }

    private static int bind(RequestSpecification as, String path, String sha) {
        return as.contentType("application/json")
                .body(Map.of("sha256", sha))
                .when()
                .put(path)
                .then()
                .extract()
                .statusCode();
    }

    /** The text encoder's key of a prompt: predictable by anyone who knows the pack and the prompt. */
    private static String embeddingKey(String pack, String prompt) throws Exception {
        byte[] text = (pack + "\n" + prompt).getBytes(StandardCharsets.UTF_8);
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text));
    }

    @Test
    void everyInternalEndpointNeedsAToken() {
        String sha = blob(as("stage1-worker"), "blob " + UUID.randomUUID());
        UUID job = UUID.randomUUID();
        given().when()
                .get("/internal/blobs/" + sha)
                .then()
                .statusCode(401)
                .header("WWW-Authenticate", "Bearer")
                .contentType("application/problem+json")
                .body("title", equalTo("Unauthorized"))
                .body("status", equalTo(401))
                .body("detail", containsString("Authorization: Bearer"));
        given().body("x").when().post("/internal/blobs").then().statusCode(401);
        given().when().get("/internal/blobs/" + sha + "/info").then().statusCode(401);
        given().when().get("/internal/images?job=" + job).then().statusCode(401);
        given().when().get("/internal/refs/job-files?prefix=" + job).then().statusCode(401);
        given().when().get(EMBEDDINGS + "k").then().statusCode(401);
        given().when().post("/internal/attempts/stage1-requests/" + job).then().statusCode(401);
        given().when()
                .post("/internal/attempts/stage1-requests/" + job + "/finished")
                .then()
                .statusCode(401);
    }

    @Test
    void aBadTokenIs401() {
        String sha = blob(as("stage1-worker"), "blob " + UUID.randomUUID());
        String trainer = ServiceCalls.token("trainer");
        String mac = trainer.substring(trainer.indexOf('.') + 1);
        String otherSecret = ServiceCredentials.token(ServiceCredentials.newSecret(), "trainer");
        for (String header : new String[] {
            "Bearer text-encoder." + mac, // another service's MAC under this name
            "Bearer " + otherSecret, // another deployment's secret
            "Bearer " + trainer + "A",
            "Bearer trainer",
            "Bearer ",
            "Basic " + trainer, // the right token, the wrong scheme
        }) {
            given().header("Authorization", header)
                    .when()
                    .get("/internal/blobs/" + sha)
                    .then()
                    .statusCode(401)
                    // "Bearer " arrives as "Bearer": HTTP drops the trailing space, and with it the scheme's token.
                    .body(
                            "detail",
                            equalTo(
                                    header.startsWith("Basic") || header.equals("Bearer ")
                                            ? "a service token is required: Authorization: Bearer <token>"
                                            : "the service token is not valid here"));
        }
        given().header("Authorization", "bearer " + trainer)
                .when()
                .get("/internal/blobs/" + sha)
                .then()
                .statusCode(200);
    }

    @Test
    void healthMetricsAndTheOpenApiDocumentStayOpen() {
        given().when().get("/q/health/ready").then().statusCode(200);
        given().when().get("/q/health/live").then().statusCode(200);
        given().when().get("/q/metrics").then().statusCode(200);
        given().when().get("/q/openapi").then().statusCode(200);
    }

    @Test
    void onlyTheOwnerBindsInANamespaceAndEveryServiceReads() {
        String sha = blob(as("text-encoder"), "embedding " + UUID.randomUUID());
        String key = UUID.randomUUID().toString().replace("-", "");
        as("trainer")
                .contentType("application/json")
                .body(Map.of("sha256", sha))
                .when()
                .put(EMBEDDINGS + key)
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("title", equalTo("Forbidden"))
                .body("status", equalTo(403))
                .body("detail", equalTo("trainer may not bind refs in text-embeddings; its owners: text-encoder"));
        for (String other : new String[] {"gateway", "stage1-worker", "stage2-worker"}) {
            assertEquals(403, bind(as(other), EMBEDDINGS + key, sha));
        }
        assertEquals(403, bind(as("text-encoder"), JOB_FILES + UUID.randomUUID() + ".checkpoint-epoch-1.sd", sha));
        assertEquals(403, bind(as("stage1-worker"), JOB_FILES + UUID.randomUUID() + ".sampling.gif", sha));
        as("text-encoder")
                .contentType("application/json")
                .body(Map.of("sha256", sha))
                .when()
                .put("/internal/refs/t5/" + key)
                .then()
                .statusCode(403)
                .body("detail", equalTo("text-encoder may not bind refs in t5, a namespace no service owns"));
        as("gateway").when().get(EMBEDDINGS + key).then().statusCode(404); // the refusals bound nothing

        assertEquals(200, bind(as("text-encoder"), EMBEDDINGS + key, sha));
        for (String reader : new String[] {"gateway", "stage1-worker", "stage2-worker", "trainer", "text-encoder"}) {
            as(reader).when().get(EMBEDDINGS + key).then().statusCode(200).body("sha256", equalTo(sha));
            as(reader).when().get("/internal/blobs/" + sha).then().statusCode(200);
        }
        String file = UUID.randomUUID() + ".checkpoint-epoch-1.sd";
        assertEquals(200, bind(as("trainer"), JOB_FILES + file, sha));
        as("gateway")
                .queryParam("prefix", file)
                .when()
                .get("/internal/refs/job-files")
                .then()
                .statusCode(200);
    }

    @Test
    void aForgedEmbeddingCannotBeBoundBeforeThePromptsFirstUse() throws Exception {
        String key = embeddingKey("t5-v1_1-xxl", "a photo of a dog " + UUID.randomUUID());
        // The attack of the issue: store a forged embedding, bind the prompt's predictable key to it first.
        String forged = blob(as("stage1-worker"), "forged " + UUID.randomUUID());
        assertEquals(401, bind(given(), EMBEDDINGS + key, forged));
        RequestSpecification guessed = given().header("Authorization", "Bearer text-encoder.forged");
        assertEquals(401, bind(guessed, EMBEDDINGS + key, forged));
        assertEquals(403, bind(as("stage1-worker"), EMBEDDINGS + key, forged)); // a leaked worker token
        as("gateway").when().get(EMBEDDINGS + key).then().statusCode(404);
        // The prompt's first use: the encoder binds its own embedding, and that is what everyone reads.
        String real = blob(as("text-encoder"), "real " + UUID.randomUUID());
        assertEquals(200, bind(as("text-encoder"), EMBEDDINGS + key, real));
        as("stage1-worker").when().get(EMBEDDINGS + key).then().statusCode(200).body("sha256", equalTo(real));
    }

    @Test
    void serviceOnlyEndpointsAnswerTheNamedServicesAlone() {
        as("gateway")
                .when()
                .get("/internal/test-only/gateway")
                .then()
                .statusCode(200)
                .body(equalTo("gateway"));
        as("trainer")
                .when()
                .get("/internal/test-only/gateway")
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("detail", equalTo("trainer may not call this endpoint; it is for gateway only"));
        given().when().get("/internal/test-only/gateway").then().statusCode(401);
        as("trainer")
                .when()
                .get("/internal/test-only/gateway/trainer")
                .then()
                .statusCode(200)
                .body(equalTo("trainer"));
        as("stage1-worker")
                .when()
                .get("/internal/test-only/gateway/trainer")
                .then()
                .statusCode(403);
    }
}
