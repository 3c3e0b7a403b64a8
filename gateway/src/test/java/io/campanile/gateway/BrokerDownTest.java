package io.campanile.gateway;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.campanile.testkit.Infrastructure;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.HashMap;
import java.util.Map;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

/**
 * Real PostgreSQL, but Kafka unreachable: a valid job is refused with 503 and none is created; not ready; the Workers
 * page's data is a 503 too, never a 500.
 */
@QuarkusTest
@TestProfile(BrokerDownTest.BrokerDown.class)
class BrokerDownTest {

    /** Kafka at a port where nothing listens. */
    public static class BrokerDown implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(Infrastructure.serviceConfig("gateway"));
            config.put("campanile.kafka.bootstrap-servers", "localhost:" + DependencyDownTest.freePort());
            return config;
        }
    }

    @Test
    void aValidJobIs503AndNothingIsCreated() throws Exception {
        long before = DependencyDownTest.jobs();
        given().contentType("application/json")
                .body(Map.of("type", "forward", "image", DependencyDownTest.photo()))
                .when()
                .post("/v1/jobs")
                .then()
                .statusCode(503)
                .contentType("application/problem+json")
                .body("detail", Matchers.containsString("message broker"));
        assertEquals(before, DependencyDownTest.jobs());
        given().when().get("/q/health/ready").then().statusCode(503);
    }

    @Test
    void theWorkersAreA503() {
        for (int i = 0; i < 2; i++) { // the second answer comes from the cached failure
            given().when()
                    .get("/v1/workers")
                    .then()
                    .statusCode(503)
                    .contentType("application/problem+json")
                    .header("Retry-After", "5")
                    .body("detail", Matchers.containsString("message broker"));
        }
    }
}
