package io.campanile.gateway;

import static io.campanile.gateway.TestKeys.ADMIN;
import static io.campanile.gateway.TestKeys.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.campanile.gateway.auth.KeySecrets;
import io.campanile.testkit.Infrastructure;
import io.campanile.testkit.InfrastructureResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * API keys on real PostgreSQL: what needs a key and what stays open, the 401 and 403 problems, keys made, listed and
 * revoked through the admin API (only their SHA-256 stored), the bootstrap key, and the dashboard's session cookie,
 * which serves GET and HEAD only.
 */
@QuarkusTest
@WithTestResource(value = InfrastructureResource.class, initArgs = @ResourceArg(name = "schema", value = "gateway"))
class ApiKeysTest {
    @BeforeEach
    void noKeyUnlessNamed() {
        AdminKeyByDefault.off();
    }

    @Test
    void withoutAKeyTheApiAnswers401WithAProblemAndTheChallenge() {
        for (String path : List.of(
                "/v1/jobs",
                "/v1/jobs/" + UUID.randomUUID(),
                "/v1/models",
                "/v1/workers",
                "/v1/events",
                "/v1/images/" + UUID.randomUUID(),
                "/v1/admin/keys",
                "/v1/no-such-endpoint")) {
            given().when()
                    .get(path)
                    .then()
                    .statusCode(401)
                    .contentType("application/problem+json")
                    .header("WWW-Authenticate", "Bearer")
                    .body("title", equalTo("Unauthorized"))
                    .body("status", equalTo(401))
                    .body("detail", containsString("Authorization: Bearer"));
        }
        given().contentType("application/json")
                .body("{\"type\":\"sample\"}")
                .when()
                .post("/v1/jobs")
                .then()
                .statusCode(401)
                .header("WWW-Authenticate", "Bearer");
    }

    @Test
    void anUnknownOrMalformedKeyIs401() {
        as("cmp_" + "x".repeat(43))
                .when()
                .get("/v1/jobs")
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer")
                .body("detail", equalTo("the API key is unknown or revoked"));
        as("short").when().get("/v1/jobs").then().statusCode(401);
        given().header("Authorization", "Basic dXNlcjpwYXNz")
                .when()
                .get("/v1/jobs")
                .then()
                .statusCode(401)
                .body("detail", equalTo("the Authorization header must be 'Bearer <key>'"));
    }

    @Test
    void healthOpenApiMetricsAssetsAndTheLoginPageStayOpen() {
        given().when().get("/q/health/live").then().statusCode(200);
        given().when().get("/q/openapi").then().statusCode(200);
        given().when().get("/q/metrics").then().statusCode(200);
        given().when().get("/q/swagger-ui/").then().statusCode(200);
        given().when().get("/assets/common.js").then().statusCode(200);
        given().when().get("/login").then().statusCode(200).body(containsString("API key"));
    }

    @Test
    void aDashboardPageWithoutAKeySendsTheBrowserToTheLoginPage() {
        given().redirects()
                .follow(false)
                .when()
                .get("/workers")
                .then()
                .statusCode(303)
                .header("Location", containsString("/login?next=%2Fworkers"));
        as(ADMIN).when().get("/workers").then().statusCode(200);
    }

    @Test
    void aKeyIsShownOnceStoredAsItsHashListedWithoutSecretsAndRevoked() throws Exception {
        String name = "ci-" + UUID.randomUUID();
        Response created = as(ADMIN)
                .contentType("application/json")
                .body(Map.of("name", name, "tenant", "team-a"))
                .when()
                .post("/v1/admin/keys");
        created.then()
                .statusCode(201)
                .header("Location", containsString("/v1/admin/keys/"))
                .body("name", equalTo(name))
                .body("tenant", equalTo("team-a"))
                .body("admin", equalTo(false))
                .body("revoked_at", nullValue())
                .body("key", matchesPattern("cmp_[A-Za-z0-9_-]{43}"));
        String key = created.path("key");
        String id = created.path("id");

        as(key).when().get("/v1/jobs").then().statusCode(200);
        as(key).when().get("/v1/session").then().statusCode(200).body("tenant", equalTo("team-a"));

        String row = row(UUID.fromString(id));
        assertTrue(row.contains(KeySecrets.sha256(key)), "the row holds the key's SHA-256: " + row);
        assertFalse(row.contains(key.substring(4)), "the row does not hold the key itself");

        String listing = as(ADMIN)
                .when()
                .get("/v1/admin/keys")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertTrue(listing.contains(name), listing);
        assertFalse(listing.contains(key.substring(4)), "a listing shows no secret");
        assertFalse(listing.contains(KeySecrets.sha256(key)), "a listing shows no hash");

        as(ADMIN).when().delete("/v1/admin/keys/" + id).then().statusCode(200).body("revoked_at", notNullValue());
        as(key).when() // at once on the replica that revoked it; within key-cache-seconds on the others
                .get("/v1/jobs")
                .then()
                .statusCode(401)
                .body("detail", equalTo("the API key is unknown or revoked"));
        as(ADMIN).when().delete("/v1/admin/keys/" + UUID.randomUUID()).then().statusCode(404);
    }

    @Test
    void aKeyThatIsNotAnAdminKeyGets403OnTheAdminEndpoints() {
        String key = TestKeys.create("plain-" + UUID.randomUUID(), "team-b", false);
        as(key).when()
                .get("/v1/admin/keys")
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("title", equalTo("Forbidden"))
                .body("status", equalTo(403))
                .body("detail", equalTo("this endpoint needs an admin key"));
        as(key).contentType("application/json")
                .body(Map.of("name", "escalate", "admin", true))
                .when()
                .post("/v1/admin/keys")
                .then()
                .statusCode(403);
        as(key).when().delete("/v1/admin/keys/" + UUID.randomUUID()).then().statusCode(403);
    }

    @Test
    void badKeyRequestsNameTheirField() {
        as(ADMIN)
                .contentType("application/json")
                .body(Map.of("tenant", "x"))
                .when()
                .post("/v1/admin/keys")
                .then()
                .statusCode(400)
                .body("field", equalTo("name"));
        as(ADMIN)
                .contentType("application/json")
                .body(Map.of("name", "n", "tenant", "Not A Tenant!"))
                .when()
                .post("/v1/admin/keys")
                .then()
                .statusCode(400)
                .body("field", equalTo("tenant"));
    }

    @Test
    void theBootstrapKeyIsAnAdminOfTheDefaultTenant() {
        as(ADMIN)
                .when()
                .get("/v1/session")
                .then()
                .statusCode(200)
                .body("tenant", equalTo("default"))
                .body("key_name", equalTo("bootstrap"))
                .body("admin", equalTo(true));
        as(ADMIN).when().get("/v1/admin/keys").then().statusCode(200).body("name", hasItem("bootstrap"));
    }

    @Test
    void theSessionCookieServesReadsButNeverAStateChange() throws Exception {
        String key = TestKeys.create("browser-" + UUID.randomUUID(), "team-c", false);
        Response session = as(key).when().post("/v1/session");
        session.then().statusCode(200).body("tenant", equalTo("team-c"));
        String setCookie = session.header("Set-Cookie");
        assertNotNull(setCookie);
        assertTrue(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict"), setCookie);
        String cookie = session.cookie("campanile_session");
        assertEquals(key, cookie);

        given().cookie("campanile_session", cookie)
                .when()
                .get("/v1/jobs")
                .then()
                .statusCode(200);
        given().cookie("campanile_session", cookie)
                .when()
                .get("/workers")
                .then()
                .statusCode(200);
        UUID job = JobRows.insert("QUEUED", "team-c");
        given().cookie("campanile_session", cookie)
                .when()
                .post("/v1/jobs/" + job + "/cancel")
                .then()
                .statusCode(401)
                .body("detail", containsString("Authorization header"));
        given().cookie("campanile_session", cookie)
                .contentType("application/json")
                .body("{\"type\":\"sample\"}")
                .when()
                .post("/v1/jobs")
                .then()
                .statusCode(401);
        given().cookie("campanile_session", cookie)
                .when()
                .delete("/v1/session")
                .then()
                .statusCode(401);
        assertEquals("QUEUED", JobRows.column(job, "status"), "nothing changed through the cookie");

        Response ended = as(key).when().delete("/v1/session");
        ended.then().statusCode(204);
        assertTrue(ended.header("Set-Cookie").contains("Max-Age=0"), ended.header("Set-Cookie"));
    }

    private static String row(UUID id) throws Exception {
        try (Connection c = Infrastructure.postgres().connect();
                PreparedStatement s = c.prepareStatement("select * from gateway.api_keys where id = ?")) {
            s.setObject(1, id);
            try (ResultSet r = s.executeQuery()) {
                assertTrue(r.next());
                StringBuilder b = new StringBuilder();
                for (int i = 1; i <= r.getMetaData().getColumnCount(); i++) {
                    b.append(r.getMetaData().getColumnName(i))
                            .append('=')
                            .append(r.getString(i))
                            .append(' ');
                }
                return b.toString();
            }
        }
    }
}
