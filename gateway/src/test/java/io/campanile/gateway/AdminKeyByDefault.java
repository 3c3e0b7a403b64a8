package io.campanile.gateway;

import io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;
import io.restassured.RestAssured;
import io.restassured.builder.RequestSpecBuilder;
import io.restassured.config.HeaderConfig;

/**
 * Before each {@code @QuarkusTest} method: RestAssured sends the test profile's bootstrap admin key
 * ({@link TestKeys#ADMIN}) unless the request names another key, so that the tests of everything but the keys
 * themselves read as before API keys existed. Tests of keys and tenants clear it and name their keys.
 */
public class AdminKeyByDefault implements QuarkusTestBeforeEachCallback {
    @Override
    public void beforeEach(QuarkusTestMethodContext context) {
        RestAssured.config = RestAssured.config()
                .headerConfig(HeaderConfig.headerConfig().overwriteHeadersWithName("Authorization"));
        RestAssured.requestSpecification = new RequestSpecBuilder()
                .addHeader("Authorization", "Bearer " + TestKeys.ADMIN)
                .build();
    }
}
