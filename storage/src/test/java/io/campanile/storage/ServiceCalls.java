package io.campanile.storage;

import static io.restassured.RestAssured.given;

import io.campanile.contracts.ServiceCredentials;
import io.restassured.specification.RequestSpecification;
import org.eclipse.microprofile.config.ConfigProvider;

/** Requests to the internal API as one of the services, with its token derived from the test profile's secret. */
final class ServiceCalls {
    private ServiceCalls() {}

    /** The token of {@code service} under the secret storage runs with. */
    static String token(String service) {
        String secret = ConfigProvider.getConfig().getValue("campanile.storage.service-secret", String.class);
        return ServiceCredentials.token(secret, service);
    }

    /** A request carrying {@code Authorization: Bearer <token of service>}. */
    static RequestSpecification as(String service) {
        return given().header("Authorization", "Bearer " + token(service));
    }
}
