package io.campanile.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;

import io.campanile.testkit.InfrastructureResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's pages and assets as the gateway serves them (the browser tests in system-tests drive them): every
 * page renders on the gateway's port, the models page lists the packs, and the scripts and stylesheet are there.
 */
@QuarkusTest
@WithTestResource(value = InfrastructureResource.class, initArgs = @ResourceArg(name = "schema", value = "gateway"))
class DashboardPagesTest {

    @Test
    void theJobsPageIsTheRootWithItsFilters() {
        given().when()
                .get("/")
                .then()
                .statusCode(200)
                .contentType(ContentType.HTML)
                .body(containsString("<title>Jobs · campanile</title>"))
                .body(containsString("<option value=\"RUNNING\">RUNNING</option>"))
                .body(containsString("<option value=\"inpaint\">inpaint</option>"))
                .body(containsString("/assets/jobs.js"));
    }

    @Test
    void everyPageRenders() {
        for (String page : new String[] {"/submit", "/workers", "/models", "/login", "/jobs/" + UUID.randomUUID()}) {
            given().when()
                    .get(page)
                    .then()
                    .statusCode(200)
                    .contentType(ContentType.HTML)
                    .body(containsString("<nav>"))
                    .body(not(containsString("{#")));
        }
        given().when().get("/jobs/not-a-job").then().statusCode(404);
    }

    @Test
    void theModelsPageListsEveryPackWithItsSizeOnDisk() {
        given().when()
                .get("/models")
                .then()
                .statusCode(200)
                .body(containsString("data-model=\"mnist-class\""))
                .body(containsString("class (0, 1, 2, 3, 4, 5, 6, 7, 8, 9)"))
                .body(containsString("data-model=\"IF-I-XL-v1.0\""))
                .body(containsString("manifest only"))
                .body(matchesPattern("(?s).*>[0-9.]+ (kB|MB)</td>.*"));
    }

    @Test
    void theAssetsAreServedByTheGateway() {
        for (String asset : new String[] {
            "common.js",
            "jobs.js",
            "job.js",
            "losschart.js",
            "submit.js",
            "canvas.js",
            "workers.js",
            "login.js",
            "dashboard.css"
        }) {
            given().when().get("/assets/" + asset).then().statusCode(200);
        }
    }

    @Test
    void thePagesAreNotPartOfTheApiDocument() {
        given().when()
                .get("/q/openapi")
                .then()
                .statusCode(200)
                .body(not(containsString("  /models:")))
                .body(not(containsString("  /submit:")))
                .body(not(containsString("  /login:")));
    }
}
