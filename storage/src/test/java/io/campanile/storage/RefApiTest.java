package io.campanile.storage;

import static io.restassured.RestAssured.given;
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

    private static String blob() {
        byte[] body = ("embedding " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        return given().contentType("application/x-npy")
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
        given().contentType("application/json")
                .body(Map.of("sha256", sha))
                .when()
                .put("/internal/refs/t5/" + key)
                .then()
                .statusCode(200)
                .body("sha256", equalTo(sha));
        given().contentType("application/json")
                .body(Map.of("sha256", sha))
                .when()
                .put("/internal/refs/t5/" + key)
                .then()
                .statusCode(200)
                .body("sha256", equalTo(sha));
        given().when().get("/internal/refs/t5/" + key).then().statusCode(200).body("sha256", equalTo(sha));
    }

    @Test
    void unknownRefIs404AndNamespacesAreSeparate() {
        String sha = blob();
        String key = key();
        given().when().get("/internal/refs/t5/" + key).then().statusCode(404);
        given().contentType("application/json")
                .body(Map.of("sha256", sha))
                .when()
                .put("/internal/refs/t5/" + key)
                .then()
                .statusCode(200);
        given().when().get("/internal/refs/other/" + key).then().statusCode(404);
    }

    @Test
    void refsAreListedByKeyPrefixWithTheirBlobsSizeAndType() {
        String job = key();
        String a = blob();
        String b = blob();
        given().contentType("application/json")
                .body(Map.of("sha256", b))
                .when()
                .put("/internal/refs/job-files/" + job + ".sampling.gif")
                .then()
                .statusCode(200);
        given().contentType("application/json")
                .body(Map.of("sha256", a))
                .when()
                .put("/internal/refs/job-files/" + job + ".checkpoint-epoch-1.sd")
                .then()
                .statusCode(200);
        given().contentType("application/json")
                .body(Map.of("sha256", a))
                .when()
                .put("/internal/refs/job-files/" + key() + ".other")
                .then()
                .statusCode(200);
        given().queryParam("prefix", job + ".")
                .when()
                .get("/internal/refs/job-files")
                .then()
                .statusCode(200)
                .body("key", Matchers.contains(job + ".checkpoint-epoch-1.sd", job + ".sampling.gif"))
                .body("[0].sha256", equalTo(a))
                .body("[0].mediaType", Matchers.startsWith("application/x-npy"))
                .body("[1].size", equalTo(("embedding " + UUID.randomUUID()).length()));
        given().queryParam("prefix", "bad/prefix")
                .when()
                .get("/internal/refs/job-files")
                .then()
                .statusCode(400);
    }

    @Test
    void aRefToAMissingBlobIs404() {
        String key = key();
        given().contentType("application/json")
                .body(Map.of("sha256", "2".repeat(64)))
                .when()
                .put("/internal/refs/t5/" + key)
                .then()
                .statusCode(404);
        given().when().get("/internal/refs/t5/" + key).then().statusCode(404);
    }

    @Test
    void aBoundKeyNeverChanges() {
        String first = blob();
        String second = blob();
        String key = key();
        given().contentType("application/json")
                .body(Map.of("sha256", first))
                .when()
                .put("/internal/refs/t5/" + key)
                .then()
                .statusCode(200);
        given().contentType("application/json")
                .body(Map.of("sha256", second))
                .when()
                .put("/internal/refs/t5/" + key)
                .then()
                .statusCode(409);
        given().when().get("/internal/refs/t5/" + key).then().statusCode(200).body("sha256", equalTo(first));
    }

    @Test
    void badNamesAndBodiesAre400() {
        given().contentType("application/json")
                .body(Map.of("sha256", "not-a-digest"))
                .when()
                .put("/internal/refs/t5/" + key())
                .then()
                .statusCode(400);
        given().when().get("/internal/refs/t5/" + "k".repeat(201)).then().statusCode(400);
        given().when().get("/internal/refs/t5/.hidden").then().statusCode(400);
    }
}
