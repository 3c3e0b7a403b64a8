package io.campanile.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.campanile.testkit.InfrastructureResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Base64;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * Real PostgreSQL and Kafka, but storage is down (nothing listens at its URL): a valid job is refused with 503 and
 * leaves no job behind, while validation errors are still answered with 400.
 */
@QuarkusTest
@TestProfile(DependencyDownTest.StorageDown.class)
@WithTestResource(value = InfrastructureResource.class, initArgs = @ResourceArg(name = "schema", value = "gateway"))
class DependencyDownTest {

    /** Storage at a port where nothing listens. */
    public static class StorageDown implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("campanile.storage.url", "http://localhost:" + freePort());
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String photo() throws IOException {
        return Base64.getEncoder().encodeToString(Files.readAllBytes(Path.of("../examples/chelsea.png")));
    }

    /** Jobs in the database the gateway under test uses (read from its configuration). */
    static long jobs() throws Exception {
        var config = ConfigProvider.getConfig();
        try (Connection c = DriverManager.getConnection(
                        config.getValue("quarkus.datasource.jdbc.url", String.class),
                        config.getValue("quarkus.datasource.username", String.class),
                        config.getValue("quarkus.datasource.password", String.class));
                ResultSet rs = c.createStatement().executeQuery("select count(*) from gateway.jobs")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void storageDownIsA503AndNoJobIsCreated() throws Exception {
        long before = jobs();
        given().contentType("application/json")
                .body(Map.of("type", "forward", "image", photo()))
                .when()
                .post("/v1/jobs")
                .then()
                .statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", "5")
                .body("detail", equalTo("storage is unavailable, retry later"));
        assertEquals(before, jobs());
    }

    @Test
    void validationStillAnswers400() {
        given().contentType("application/json")
                .body(Map.of("type", "forward"))
                .when()
                .post("/v1/jobs")
                .then()
                .statusCode(400)
                .body("field", equalTo("image"));
    }
}
