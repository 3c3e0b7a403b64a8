package io.campanile.storage;

import static io.campanile.storage.ServiceCalls.as;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.campanile.contracts.AttemptCount;
import io.campanile.contracts.Json;
import io.campanile.testkit.InfrastructureResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Starts of a job counted per consumer on real PostgreSQL: one more per call, none lost under concurrency. */
@QuarkusTest
@WithTestResource(value = InfrastructureResource.class, initArgs = @ResourceArg(name = "schema", value = "storage"))
class AttemptApiTest {
    private static final String WORKER = "stage1-worker";

    @TestHTTPResource("/internal/attempts/")
    URI attempts;

    @Test
    void eachStartCountsOnePerConsumerAndJob() {
        UUID job = UUID.randomUUID();
        as(WORKER)
                .when()
                .post("/internal/attempts/stage1-requests/" + job)
                .then()
                .statusCode(200)
                .body("attempt", equalTo(1));
        as(WORKER)
                .when()
                .post("/internal/attempts/stage1-requests/" + job)
                .then()
                .statusCode(200)
                .body("attempt", equalTo(2));
        as(WORKER)
                .when()
                .post("/internal/attempts/stage2-requests/" + job)
                .then()
                .statusCode(200)
                .body("attempt", equalTo(1));
        as(WORKER)
                .when()
                .post("/internal/attempts/stage1-requests/" + UUID.randomUUID())
                .then()
                .statusCode(200)
                .body("attempt", equalTo(1));
    }

    @Test
    void aFinishedJobIsAnsweredAsFinishedAndNotCountedAgain() {
        UUID job = UUID.randomUUID();
        as(WORKER)
                .when()
                .post("/internal/attempts/stage1-requests/" + job)
                .then()
                .statusCode(200)
                .body("attempt", equalTo(1))
                .body("finished", equalTo(false));
        assertEquals(204, finish(job, null));
        assertEquals(204, finish(job, null));
        as(WORKER)
                .when()
                .post("/internal/attempts/stage1-requests/" + job)
                .then()
                .statusCode(200)
                .body("attempt", equalTo(1))
                .body("finished", equalTo(true));
        as(WORKER)
                .when()
                .post("/internal/attempts/stage2-requests/" + job)
                .then()
                .statusCode(200)
                .body("attempt", equalTo(1))
                .body("finished", equalTo(false));
        as(WORKER)
                .when()
                .post("/internal/attempts/stage1-requests/not-a-uuid/finished")
                .then()
                .statusCode(400);
    }

    @Test
    void aFinishKeepsTheFirstFinalEventForLaterDeliveriesToPublishAgain() {
        UUID job = UUID.randomUUID();
        as(WORKER)
                .when()
                .post("/internal/attempts/stage1-requests/" + job)
                .then()
                .statusCode(200);
        assertEquals(204, finish(job, "{\"eventId\":\"e-1\",\"event\":\"FAILED\"}"));
        // the first event recorded stays the job's: a later finish, with an event or without, keeps it
        assertEquals(204, finish(job, "{\"eventId\":\"e-2\",\"event\":\"SUCCEEDED\"}"));
        assertEquals(204, finish(job, null));
        String answer = as(WORKER)
                .when()
                .post("/internal/attempts/stage1-requests/" + job)
                .then()
                .statusCode(200)
                .body("attempt", equalTo(1))
                .body("finished", equalTo(true))
                .extract()
                .asString();
        AttemptCount count = read(answer);
        assertEquals("{\"eventId\":\"e-1\",\"event\":\"FAILED\"}", count.finalEvent());
        as(WORKER)
                .when()
                .post("/internal/attempts/stage1-requests/" + UUID.randomUUID())
                .then()
                .statusCode(200)
                .body("finalEvent", nullValue());
    }

    @Test
    void aFinalEventThatIsNotAJsonObjectIs400() {
        UUID job = UUID.randomUUID();
        for (String body : new String[] {"[1]", "{not json", "\"text\"", "{\"a\":\"" + "x".repeat(70_000) + "\"}"}) {
            assertEquals(400, finish(job, body));
        }
        as(WORKER)
                .when()
                .post("/internal/attempts/stage1-requests/" + job)
                .then()
                .statusCode(200)
                .body("finished", equalTo(false));
    }

    /** Records stage 1's finish of the job, with a final event body when not null; the status. */
    private static int finish(UUID job, String event) {
        var request = as(WORKER);
        if (event != null) {
            request = request.contentType("application/json").body(event);
        }
        return request.when()
                .post("/internal/attempts/stage1-requests/" + job + "/finished")
                .then()
                .extract()
                .statusCode();
    }

    private static AttemptCount read(String json) {
        try {
            return Json.mapper().readValue(json, AttemptCount.class);
        } catch (java.io.IOException e) {
            throw new AssertionError(json, e);
        }
    }

    @Test
    void concurrentStartsGetDistinctCounts() throws Exception {
        UUID job = UUID.randomUUID();
        int n = 24;
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest req = HttpRequest.newBuilder(attempts.resolve("stage1-requests/" + job))
                .header("Authorization", "Bearer " + ServiceCalls.token(WORKER))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
        Callable<Integer> start = () -> {
            HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            return Json.mapper().readValue(r.body(), AttemptCount.class).attempt();
        };
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                calls.add(pool.submit(start));
            }
            Set<Integer> counts = new TreeSet<>();
            for (Future<Integer> f : calls) {
                counts.add(f.get());
            }
            assertEquals(IntStream.rangeClosed(1, n).boxed().collect(Collectors.toSet()), counts);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void badConsumerOrJobIdIs400() {
        UUID job = UUID.randomUUID();
        as(WORKER).when().post("/internal/attempts/.hidden/" + job).then().statusCode(400);
        as(WORKER)
                .when()
                .post("/internal/attempts/" + "c".repeat(201) + "/" + job)
                .then()
                .statusCode(400);
        as(WORKER)
                .when()
                .post("/internal/attempts/stage1-requests/not-a-uuid")
                .then()
                .statusCode(400);
        as(WORKER)
                .when()
                .post("/internal/attempts/stage1-requests/1-2-3-4-5")
                .then()
                .statusCode(400);
    }
}
