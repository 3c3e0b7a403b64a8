package io.campanile.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.campanile.testkit.Infrastructure;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Real Kafka, but PostgreSQL unreachable: reads and submissions answer 503, not 500. */
@QuarkusTest
@TestProfile(DatabaseDownTest.DatabaseDown.class)
class DatabaseDownTest {

    /** The datasource points at a port where nothing listens; no migration at start. */
    public static class DatabaseDown implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("campanile.kafka.bootstrap-servers", Infrastructure.kafka().bootstrapServers(),
                    "quarkus.datasource.jdbc.url",
                    "jdbc:postgresql://localhost:" + DependencyDownTest.freePort() + "/postgres",
                    "quarkus.flyway.migrate-at-start", "false",
                    "quarkus.datasource.jdbc.acquisition-timeout", "1S");
        }
    }

    @Test
    void readingAJobIs503() {
        given().when().get("/v1/jobs/" + UUID.randomUUID()).then().statusCode(503)
                .contentType("application/problem+json").body("detail", equalTo("the database is unavailable, retry later"));
    }

    @Test
    void submittingWithAnIdempotencyKeyIs503() {
        given().contentType("application/json").header("Idempotency-Key", "k1")
                .body(Map.of("type", "forward", "image", "aGVsbG8=")).when().post("/v1/jobs").then().statusCode(400);
        given().when().get("/v1/jobs").then().statusCode(503).contentType("application/problem+json");
    }
}
