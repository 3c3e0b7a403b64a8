package io.campanile.storage;

import static io.campanile.storage.ServiceCalls.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.campanile.testkit.InfrastructureResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = InfrastructureResource.class, initArgs = @ResourceArg(name = "schema", value = "storage"))
class StorageApiTest {
    /** Workers store blobs and register images. */
    private static final String WORKER = "stage1-worker";

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    private static String put(byte[] body, String type) {
        return as(WORKER)
                .contentType(type)
                .body(body)
                .when()
                .post("/internal/blobs")
                .then()
                .statusCode(200)
                .extract()
                .path("sha256");
    }

    @Test
    void metricsAreServedForPrometheus() {
        given().when().get("/q/metrics").then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
    }

    @Test
    void blobsAreAddressedByTheirSha256AndStoredOnce() throws Exception {
        byte[] body = ("blob " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        String first = put(body, "text/plain");
        String second = put(body, "text/plain");
        Assertions.assertEquals(sha256(body), first);
        Assertions.assertEquals(first, second);
        byte[] back = as(WORKER)
                .when()
                .get("/internal/blobs/" + first)
                .then()
                .statusCode(200)
                .contentType("text/plain")
                .extract()
                .asByteArray();
        Assertions.assertArrayEquals(body, back);
        as(WORKER)
                .when()
                .get("/internal/blobs/" + first + "/info")
                .then()
                .statusCode(200)
                .body("size", equalTo(body.length));
    }

    /** ADR 0027: pglz is not run over blob bytes (it costs an embedding's insert 10-20 ms and saves nothing). */
    @Test
    void blobBytesAreStoredUncompressed() throws Exception {
        byte[] compressible = new byte[1 << 20]; // zeros, as the padded rows of an embedding: pglz would shrink them
        compressible[0] = (byte) UUID.randomUUID().hashCode();
        compressible[1] = (byte) System.nanoTime();
        String sha = StorageRows.put(compressible);
        Assertions.assertEquals(
                compressible.length,
                StorageRows.count("select pg_column_size(data) from storage.blobs where sha256 = ?", sha),
                "stored as it came");
        byte[] back = as(WORKER)
                .when()
                .get("/internal/blobs/" + sha)
                .then()
                .statusCode(200)
                .extract()
                .asByteArray();
        Assertions.assertArrayEquals(compressible, back);
    }

    @Test
    void unknownBlobIs404() {
        as(WORKER).when().get("/internal/blobs/" + "0".repeat(64)).then().statusCode(404);
    }

    @Test
    void imageRegistrationIsIdempotentPerJobAndRole() {
        String png = put(("png " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8), "image/png");
        String npy = put(("npy " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8), "application/x-npy");
        UUID job = UUID.randomUUID();
        Map<String, Object> image = Map.of(
                "jobId",
                job,
                "role",
                "noisy t=250",
                "ordinal",
                1,
                "png",
                Map.of("sha256", png),
                "tensor",
                Map.of("sha256", npy),
                "shape",
                new int[] {3, 64, 64},
                "dtype",
                "float32",
                "valueRange",
                "[-1,1]");
        String id = as(WORKER)
                .contentType("application/json")
                .body(image)
                .when()
                .post("/internal/images")
                .then()
                .statusCode(200)
                .body("png.sha256", equalTo(png))
                .extract()
                .path("id");
        String again = as(WORKER)
                .contentType("application/json")
                .body(image)
                .when()
                .post("/internal/images")
                .then()
                .statusCode(200)
                .extract()
                .path("id");
        Assertions.assertEquals(id, again);
        as(WORKER)
                .when()
                .get("/internal/images/" + id)
                .then()
                .statusCode(200)
                .body("role", equalTo("noisy t=250"))
                .body("shape", equalTo(List.of(3, 64, 64)));
        as(WORKER)
                .queryParam("job", job.toString())
                .when()
                .get("/internal/images")
                .then()
                .statusCode(200)
                .body("$", hasSize(1));
    }

    @Test
    void imageWithAMissingBlobIsRejected() {
        Map<String, Object> image = Map.of(
                "jobId",
                UUID.randomUUID(),
                "role",
                "x",
                "ordinal",
                0,
                "png",
                Map.of("sha256", "1".repeat(64)),
                "shape",
                new int[] {3, 64, 64});
        as(WORKER)
                .contentType("application/json")
                .body(image)
                .when()
                .post("/internal/images")
                .then()
                .statusCode(400);
        as(WORKER).when().get("/internal/images/" + UUID.randomUUID()).then().statusCode(404);
    }
}
