package io.campanile.gateway.dispatch;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.campanile.testkit.InfrastructureResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Per-tenant quotas on real PostgreSQL and Kafka, with small limits: each limit answers 429 with Retry-After and its
 * name, a per-tenant override raises a limit, admin keys are not exempt, and a replayed idempotency key is no new job.
 * Storage's usage is a fake answering {@code GET /internal/usage/{tenant}} (no job here stores an input) with the
 * bytes a tenant's name starts with ({@code "2000000-..."}), else 0: the profile, which starts it, and the tests run
 * in different class loaders, so the tenant name is what they share.
 */
@QuarkusTest
@WithTestResource(value = InfrastructureResource.class, initArgs = @ResourceArg(name = "schema", value = "gateway"))
@TestProfile(QuotaTest.SmallLimits.class)
class QuotaTest {
    static final Map<String, Object> SAMPLE =
            Map.of("type", "sample", "model", "mnist-class", "prompt", "7", "num_images", 1, "seed", 1);
    private static HttpServer storage;

    /** Three jobs in flight, five a minute, a megabyte stored; tenant "roomy" may have five in flight. */
    public static class SmallLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "campanile.gateway.limits.jobs-in-flight", "3",
                    "campanile.gateway.limits.submissions-per-minute", "5",
                    "campanile.gateway.limits.stored-bytes", "1000000",
                    "campanile.gateway.limits.tenants.roomy.jobs-in-flight", "5",
                    "campanile.gateway.limits.tenants.roomy.submissions-per-minute", "10",
                    "campanile.gateway.limits.tenants.rate.jobs-in-flight", "50",
                    "campanile.storage.url", "http://localhost:" + fakeStorage());
        }
    }

    static synchronized int fakeStorage() {
        if (storage == null) {
            try {
                storage = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            storage.createContext(
                    "/internal/jobs/",
                    exchange -> { // a submission registers its job
                        exchange.sendResponseHeaders(204, -1);
                        exchange.close();
                    });
            storage.createContext("/internal/usage/", exchange -> {
                String tenant = exchange.getRequestURI().getPath().substring("/internal/usage/".length());
                String bytes = tenant.matches("[0-9]+-.*") ? tenant.substring(0, tenant.indexOf('-')) : "0";
                byte[] body =
                        ("{\"tenant\":\"" + tenant + "\",\"bytes\":" + bytes + "}").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            storage.start();
        }
        return storage.getAddress().getPort();
    }

    @BeforeEach
    void emptyWindows() throws Exception {
        DispatchRows.endEverything();
    }

    private static Response submit(String key, Object body) {
        return given().contentType("application/json")
                .header("Authorization", "Bearer " + key)
                .body(body)
                .when()
                .post("/v1/jobs");
    }

    private static String accepted(String key) {
        return submit(key, SAMPLE).then().statusCode(202).extract().path("id");
    }

    private static long retryAfter(Response r) {
        r.then().statusCode(429).contentType("application/problem+json").body("status", equalTo(429));
        return Long.parseLong(r.header("Retry-After"));
    }

    @Test
    void jobsInFlightAnswer429UntilOneEndsAndAdminKeysAreNotExempt() throws Exception {
        String key = TenantKeys.create("tight-" + UUID.randomUUID(), true);
        String first = accepted(key);
        accepted(key);
        accepted(key);
        Response over = submit(key, SAMPLE);
        long retry = retryAfter(over);
        over.then().body("limit", equalTo("jobs-in-flight")).body("detail", containsString("its limit is 3"));
        assertEquals(60, retry, "nothing of the tenant ended lately: a minute");

        given().header("Authorization", "Bearer " + key)
                .post("/v1/jobs/" + first + "/cancel")
                .then()
                .statusCode(202);
        accepted(key); // the cancelled job's slot
    }

    @Test
    void aTenantOverrideRaisesTheLimit() throws Exception {
        String roomy = TenantKeys.create("roomy", false);
        for (int i = 0; i < 5; i++) {
            accepted(roomy);
        }
        Response over = submit(roomy, SAMPLE);
        retryAfter(over);
        over.then().body("limit", equalTo("jobs-in-flight")).body("detail", containsString("its limit is 5"));
    }

    @Test
    void submissionsPerMinuteAnswer429UntilTheOldestLeavesTheMinute() throws Exception {
        String key = TenantKeys.create("rate", false);
        for (int i = 0; i < 5; i++) {
            accepted(key);
        }
        Response over = submit(key, SAMPLE);
        long retry = retryAfter(over);
        over.then().body("limit", equalTo("submissions-per-minute"));
        assertTrue(retry >= 1 && retry <= 60, "Retry-After " + retry);
        DispatchRows.endEverything(); // ending jobs gives no submissions back
        submit(key, SAMPLE).then().statusCode(429).body("limit", equalTo("submissions-per-minute"));
    }

    @Test
    void storedBytesAnswer429CountingTheRequestsOwnImages() throws Exception {
        String full = "2000000-" + UUID.randomUUID();
        Response over = submit(TenantKeys.create(full, false), SAMPLE);
        assertEquals(3600, retryAfter(over));
        over.then().body("limit", equalTo("stored-bytes")).body("detail", containsString("1000000"));

        String edge = "900000-" + UUID.randomUUID(); // room for a sample, not for the 240 kB photo as well
        String key = TenantKeys.create(edge, false);
        accepted(key);
        String photo = Base64.getEncoder().encodeToString(Files.readAllBytes(Path.of("../examples/chelsea.png")));
        submit(key, Map.of("type", "forward", "image", photo))
                .then()
                .statusCode(429)
                .body("limit", equalTo("stored-bytes"));
    }

    @Test
    void aReplayedIdempotencyKeyIsNoNewJob() throws Exception {
        String key = TenantKeys.create("replay-" + UUID.randomUUID(), false);
        String idem = "k-" + UUID.randomUUID();
        String first = given().contentType("application/json")
                .header("Authorization", "Bearer " + key)
                .header("Idempotency-Key", idem)
                .body(SAMPLE)
                .post("/v1/jobs")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        accepted(key);
        accepted(key);
        submit(key, SAMPLE).then().statusCode(429);
        given().contentType("application/json")
                .header("Authorization", "Bearer " + key)
                .header("Idempotency-Key", idem)
                .body(SAMPLE)
                .post("/v1/jobs")
                .then()
                .statusCode(202)
                .header("Idempotent-Replayed", "true")
                .body("id", equalTo(first));
    }
}
