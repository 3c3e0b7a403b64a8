package io.campanile.trainer.messaging;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import io.campanile.testkit.InfrastructureResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * The trainer service starts on a real Kafka with its train operation wired, reports itself live and ready, and serves
 * its meters to Prometheus.
 */
@QuarkusTest
@WithTestResource(InfrastructureResource.class)
class TrainerStartsTest {
    @Test
    void serviceIsLiveAndReady() {
        given().when().get("/q/health/live").then().statusCode(200);
        given().when().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void metricsAreServedForPrometheus() {
        given().when().get("/q/metrics").then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
    }
}
