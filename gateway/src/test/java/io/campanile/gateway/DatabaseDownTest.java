package io.campanile.gateway;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.campanile.testkit.EmbeddedPostgres;
import io.campanile.testkit.Infrastructure;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real Kafka and PostgreSQL, the database reached through a proxy the test cuts: while it is down, reads and valid
 * submissions answer 503 problem+json, not 500, and leave no job; once it is back the gateway works again.
 */
@QuarkusTest
@WithTestResource(DatabaseDownTest.DatabaseBehindProxy.class)
class DatabaseDownTest {
    private static TcpProxy proxy;

    /** The shared PostgreSQL behind a proxy, and the gateway's datasource pointed at the proxy. */
    public static class DatabaseBehindProxy implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            try {
                proxy = TcpProxy.to(Infrastructure.postgres().port());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Map.of(
                    "campanile.kafka.bootstrap-servers",
                    Infrastructure.kafka().bootstrapServers(),
                    "quarkus.datasource.jdbc.url",
                    "jdbc:postgresql://localhost:" + proxy.port() + "/postgres?currentSchema=gateway",
                    "quarkus.datasource.username",
                    EmbeddedPostgres.USER,
                    "quarkus.datasource.password",
                    EmbeddedPostgres.PASSWORD,
                    "quarkus.datasource.jdbc.acquisition-timeout",
                    "1S",
                    "campanile.storage.url",
                    RecordingStorage.url());
        }

        @Override
        public void stop() {
            try {
                proxy.close();
            } catch (IOException e) {
                // the test JVM is done with it
            }
        }
    }

    /** A valid job that needs no image: storage (a fake here) is only asked to register it. */
    static final Map<String, Object> SAMPLE =
            Map.of("type", "sample", "model", "mnist-class", "prompt", "7", "num_images", 1, "seed", 1);

    /** Jobs in the gateway's schema, counted directly (not through the proxy). */
    static long jobs() throws Exception {
        try (Connection c = Infrastructure.postgres().connect();
                ResultSet rs = c.createStatement().executeQuery("select count(*) from gateway.jobs")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @BeforeEach
    void databaseGoesDown() {
        proxy.restore();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> given().get("/q/health/ready").statusCode() == 200);
        proxy.cut();
    }

    @AfterEach
    void databaseComesBack() {
        proxy.restore();
    }

    @Test
    void readingAJobIs503() {
        given().when()
                .get("/v1/jobs/" + UUID.randomUUID())
                .then()
                .statusCode(503)
                .contentType("application/problem+json")
                .body("detail", equalTo("the database is unavailable, retry later"));
        given().when().get("/v1/jobs").then().statusCode(503).contentType("application/problem+json");
    }

    @Test
    void submittingIs503WithOrWithoutAnIdempotencyKeyAndCreatesNoJob() throws Exception {
        long before = jobs();
        String key = "outage-" + UUID.randomUUID();
        given().contentType("application/json")
                .body(SAMPLE)
                .when()
                .post("/v1/jobs")
                .then()
                .statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", "5")
                .body("detail", equalTo("the database is unavailable, retry later"));
        given().contentType("application/json")
                .header("Idempotency-Key", key)
                .body(SAMPLE)
                .when()
                .post("/v1/jobs")
                .then()
                .statusCode(503)
                .contentType("application/problem+json")
                .body("detail", equalTo("the database is unavailable, retry later"));
        assertEquals(before, jobs(), "no job while the database is down");

        proxy.restore();
        // The key was not taken by the failed attempt: the retry creates the job, once.
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> given().contentType("application/json")
                                .header("Idempotency-Key", key)
                                .body(SAMPLE)
                                .when()
                                .post("/v1/jobs")
                                .statusCode()
                        == 202);
        given().contentType("application/json")
                .header("Idempotency-Key", key)
                .body(SAMPLE)
                .when()
                .post("/v1/jobs")
                .then()
                .statusCode(202)
                .header("Idempotent-Replayed", "true");
        assertEquals(before + 1, jobs());
    }
}
