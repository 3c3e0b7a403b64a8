package io.campanile.gateway;

import io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;
import io.restassured.RestAssured;
import io.restassured.filter.Filter;
import java.util.List;

/**
 * Before each {@code @QuarkusTest} method: RestAssured sends the test profile's bootstrap admin key
 * ({@link TestKeys#ADMIN}) on every request that names no key, so that the tests of everything but the keys
 * themselves read as before API keys existed. Tests of keys and tenants call {@link #off()} and name their keys. A
 * filter rather than a default request specification: a specification built here would fix the port before Quarkus
 * sets it.
 */
public class AdminKeyByDefault implements QuarkusTestBeforeEachCallback {
    private static final Filter ADMIN_KEY = (request, response, context) -> {
        if (!request.getHeaders().hasHeaderWithName("Authorization")) {
            request.header("Authorization", "Bearer " + TestKeys.ADMIN);
        }
        return context.next(request, response);
    };

    @Override
    public void beforeEach(QuarkusTestMethodContext context) {
        RestAssured.replaceFiltersWith(ADMIN_KEY);
    }

    /** For this test method, requests without an Authorization header go without a key. */
    static void off() {
        RestAssured.replaceFiltersWith(List.of());
    }
}
