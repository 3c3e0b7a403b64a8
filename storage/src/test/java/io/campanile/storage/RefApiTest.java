package io.campanile.storage;

import static io.campanile.storage.ServiceCalls.as;
import static org.hamcrest.Matchers.equalTo;

import io.campanile.testkit.InfrastructureResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = InfrastructureResource.class, initArgs = @ResourceArg(name = "schema", value = "storage"))
class RefApiTest {
    /** The owner of the embeddings namespace, and the one that binds job files. */
    private static final String ENCODER = "text-encoder";

    private static final String TRAINER = "trainer";
    /** Reads job files (GET /v1/jobs/{id}/files); binds nothing. */
    private static final String GATEWAY = "gateway";

    private static final String EMBEDDINGS = "/internal/refs/text-embeddings/";

    private static String blob() {
        byte[] body = ("embedding " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        return as(ENCODER)
                .contentType("application/x-npy")
                .body(body)
                .when()
                .post("/internal/blobs")
                .then()
                .statusCode(200)
                .extract()
                .path("sha256");
    }

    private static String key() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    @Test
    void aRefPointsAtItsBlobAndPuttingItAgainIsANoOp() {
        String sha = blob();
        String key = key();
        as(ENCODER)
                .contentType("application/json")
                .body(Map.of("sha256", sha))
                .when()
                .put(EMBEDDINGS + key)
                .then()
                .statusCode(200)
                .body("sha256", equalTo(sha));
        as(ENCODER)
                .contentType("application/json")
                .body(Map.of("sha256", sha))
                .when()
                .put(EMBEDDINGS + key)
                .then()
                .statusCode(200)
                .body("sha256", equalTo(sha));
        as(GATEWAY).when().get(EMBEDDINGS + key).then().statusCode(200).body("sha256", equalTo(sha));
    }

    @Test
    void unknownRefIs404AndNamespacesAreSeparate() {
        String sha = blob();
        String key = key();
        as(GATEWAY).when().get(EMBEDDINGS + key).then().statusCode(404);
        as(ENCODER)
                .contentType("application/json")
                .body(Map.of("sha256", sha))
                .when()
                .put(EMBEDDINGS + key)
                .then()
                .statusCode(200);
        as(GATEWAY).when().get("/internal/refs/job-files/" + key).then().statusCode(404);
    }

    @Test
    void refsAreListedByKeyPrefixWithTheirBlobsSizeAndType() {
        String job = key();
        String a = blob();
        String b = blob();
        as(TRAINER)
                .contentType("application/json")
                .body(Map.of("sha256", b))
                .when()
                .put("/internal/refs/job-files/" + job + ".sampling.gif")
                .then()
                .statusCode(200);
        as(TRAINER)
                .contentType("application/json")
                .body(Map.of("sha256", a))
                .when()
                .put("/internal/refs/job-files/" + job + ".checkpoint-epoch-1.sd")
                .then()
                .statusCode(200);
        as(TRAINER)
                .contentType("application/json")
                .body(Map.of("sha256", a))
                .when()
                .put("/internal/refs/job-files/" + key() + ".other")
                .then()
                .statusCode(200);
        as(GATEWAY)
                .queryParam("prefix", job + ".")
                .when()
                .get("/internal/refs/job-files")
                .then()
                .statusCode(200)
                .body("key", Matchers.contains(job + ".checkpoint-epoch-1.sd", job + ".sampling.gif"))
                .body("[0].sha256", equalTo(a))
                .body("[0].mediaType", Matchers.startsWith("application/x-npy"))
                .body("[1].size", equalTo(("embedding " + UUID.randomUUID()).length()));
        as(GATEWAY)
                .queryParam("prefix", "bad/prefix")
                .when()
                .get("/internal/refs/job-files")
                .then()
                .statusCode(400);
    }

    @Test
    void aRefToAMissingBlobIs404() {
        String key = key();
        as(ENCODER)
                .contentType("application/json")
                .body(Map.of("sha256", "2".repeat(64)))
                .when()
                .put(EMBEDDINGS + key)
                .then()
                .statusCode(404);
        as(GATEWAY).when().get(EMBEDDINGS + key).then().statusCode(404);
    }

    @Test
    void aBoundKeyNeverChanges() {
        String first = blob();
        String second = blob();
        String key = key();
        as(ENCODER)
                .contentType("application/json")
                .body(Map.of("sha256", first))
                .when()
                .put(EMBEDDINGS + key)
                .then()
                .statusCode(200);
        as(ENCODER)
                .contentType("application/json")
                .body(Map.of("sha256", second))
                .when()
                .put(EMBEDDINGS + key)
                .then()
                .statusCode(409);
        as(GATEWAY).when().get(EMBEDDINGS + key).then().statusCode(200).body("sha256", equalTo(first));
    }

    @Test
    void badNamesAndBodiesAre400() {
        as(ENCODER)
                .contentType("application/json")
                .body(Map.of("sha256", "not-a-digest"))
                .when()
                .put(EMBEDDINGS + key())
                .then()
                .statusCode(400);
        as(GATEWAY).when().get(EMBEDDINGS + "k".repeat(201)).then().statusCode(400);
        as(GATEWAY).when().get(EMBEDDINGS + ".hidden").then().statusCode(400);
    }
}
