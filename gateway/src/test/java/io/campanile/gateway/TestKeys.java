package io.campanile.gateway;

import static io.restassured.RestAssured.given;

import io.restassured.specification.RequestSpecification;
import java.util.Map;

/** API keys in gateway tests: the bootstrap admin key of the test profile, and keys made through the admin API. */
final class TestKeys {
    /** {@code %test.campanile.gateway.bootstrap-admin-key} in application.properties. */
    static final String ADMIN = "cmp_test-admin-key-0000000000000000000000000000000";

    private TestKeys() {}

    /** A request with {@code key} as the Bearer key. */
    static RequestSpecification as(String key) {
        return given().header("Authorization", "Bearer " + key);
    }

    /** A new key (through {@code POST /v1/admin/keys} with the admin key); the answer's {@code key}. */
    static String create(String name, String tenant, boolean admin) {
        return as(ADMIN)
                .contentType("application/json")
                .body(Map.of("name", name, "tenant", tenant, "admin", admin))
                .when()
                .post("/v1/admin/keys")
                .then()
                .statusCode(201)
                .extract()
                .path("key");
    }
}
