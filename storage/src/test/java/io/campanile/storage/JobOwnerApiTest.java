package io.campanile.storage;

import static io.campanile.storage.StorageRows.bindRef;
import static io.campanile.storage.StorageRows.count;
import static io.campanile.storage.StorageRows.putFresh;
import static io.campanile.storage.StorageRows.registerImage;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.campanile.testkit.InfrastructureResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Job ownership on real PostgreSQL: a job's tenant and holds, its usage in bytes, and the deletion of its data. */
@QuarkusTest
@WithTestResource(value = InfrastructureResource.class, initArgs = @ResourceArg(name = "schema", value = "storage"))
class JobOwnerApiTest {

    private static void register(UUID job, String tenant, List<String> inputs, int status) {
        ServiceCalls.as("gateway")
                .contentType("application/json")
                .body(Map.of("tenant", tenant, "inputs", inputs))
                .when()
                .post("/internal/jobs/" + job)
                .then()
                .statusCode(status);
    }

    private static long usage(String tenant) {
        return ServiceCalls.as("gateway")
                .when()
                .get("/internal/usage/" + tenant)
                .then()
                .statusCode(200)
                .body("tenant", equalTo(tenant))
                .extract()
                .jsonPath()
                .getLong("bytes");
    }

    private static long size(String sha256) {
        return ServiceCalls.as("gateway")
                .when()
                .get("/internal/blobs/" + sha256 + "/info")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getLong("size");
    }

    @Test
    void aJobsUsageCountsItsInputsOutputsAndFilesAndDeletingItRemovesThem() throws Exception {
        String tenant = "t-" + UUID.randomUUID();
        UUID job = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        String input = putFresh("input");
        String png = putFresh("png");
        String tensor = putFresh("tensor");
        String file = putFresh("checkpoint");
        String otherFile = putFresh("other checkpoint");

        register(job, tenant, List.of(input), 204);
        register(job, tenant, List.of(input), 204); // idempotent
        register(job, "someone-else", List.of(input), 409);
        registerImage(job, "final", png, tensor);
        bindRef("job-files", job + ".model.zip", file);
        bindRef("job-files", other + ".model.zip", otherFile);
        // the same input twice in one tenant (a second job) counts once
        register(other, tenant, List.of(input), 204);
        long expected = size(input) + size(png) + size(tensor) + size(file) + size(otherFile);
        assertEquals(expected, usage(tenant));

        ServiceCalls.as("gateway").when().delete("/internal/jobs/" + job).then().statusCode(204);

        ServiceCalls.as("gateway")
                .queryParam("job", job.toString())
                .when()
                .get("/internal/images")
                .then()
                .statusCode(200)
                .body("$", hasSize(0));
        ServiceCalls.as("gateway")
                .when()
                .get("/internal/refs/job-files/" + job + ".model.zip")
                .then()
                .statusCode(404);
        ServiceCalls.as("gateway")
                .when()
                .get("/internal/refs/job-files/" + other + ".model.zip")
                .then()
                .statusCode(200);
        assertEquals(0, count("select count(*) from storage.holds where job_id = ?", job));
        assertEquals(0, count("select count(*) from storage.job_owners where job_id = ?", job));
        assertEquals(size(input) + size(otherFile), usage(tenant));

        ServiceCalls.as("gateway").when().delete("/internal/jobs/" + job).then().statusCode(204); // idempotent
        ServiceCalls.as("gateway")
                .when()
                .delete("/internal/jobs/" + UUID.randomUUID())
                .then()
                .statusCode(204); // unknown
        ServiceCalls.as("gateway")
                .when()
                .delete("/internal/jobs/" + other)
                .then()
                .statusCode(204);
        assertEquals(0, usage(tenant));
    }

    @Test
    void aTenantWithoutJobsUsesNothing() {
        assertEquals(0, usage("nobody-" + UUID.randomUUID()));
    }

    @Test
    void malformedRegistrationsAreRefused() {
        UUID job = UUID.randomUUID();
        register(job, "t", List.of("0".repeat(64)), 404); // not stored
        register(job, "t", List.of("not-a-digest"), 400);
        register(job, "bad tenant!", List.of(), 400);
        ServiceCalls.as("gateway")
                .contentType("application/json")
                .body(Map.of("tenant", "t"))
                .when()
                .post("/internal/jobs/1-2-3-4-5")
                .then()
                .statusCode(400);
        ServiceCalls.as("gateway")
                .when()
                .delete("/internal/jobs/not-a-uuid")
                .then()
                .statusCode(400);
        ServiceCalls.as("gateway")
                .when()
                .get("/internal/usage/bad tenant!")
                .then()
                .statusCode(400);
    }
}
