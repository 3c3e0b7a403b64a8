package io.campanile.trainer.messaging;

import static io.restassured.RestAssured.given;

import io.campanile.testkit.InfrastructureResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** The trainer service starts on a real Kafka with its train operation wired, and reports itself live and ready. */
@QuarkusTest
@WithTestResource(InfrastructureResource.class)
class TrainerStartsTest {
    @Test
    void serviceIsLiveAndReady() {
        given().when().get("/q/health/live").then().statusCode(200);
        given().when().get("/q/health/ready").then().statusCode(200);
    }
}
