package io.campanile.gateway;

import static io.campanile.gateway.TestKeys.ADMIN;
import static io.campanile.gateway.TestKeys.as;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.campanile.contracts.JobEventMessage;
import io.campanile.contracts.Preview;
import io.campanile.contracts.Progress;
import io.campanile.contracts.Topics;
import io.campanile.gateway.api.live.SseStreams;
import io.campanile.gateway.messaging.LiveEventsConsumer;
import io.campanile.platform.JsonProducer;
import io.campanile.testkit.InfrastructureResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tenants on real PostgreSQL and Kafka (ADR 0015): tenant B cannot list, read, stream, preview, download the images
 * or files of, or cancel or delete tenant A's jobs. Each of those answers exactly what an unknown id answers (404), or an empty
 * list, so B learns nothing, not even that the job exists: 0 successful reads. A sees its own, and an admin key sees
 * everything. Idempotency keys are per tenant, and each tenant has its own bound on open event streams.
 */
@QuarkusTest
@WithTestResource(value = InfrastructureResource.class, initArgs = @ResourceArg(name = "schema", value = "gateway"))
@TestProfile(CrossTenantTest.Tenants.class)
class CrossTenantTest {
    static final Duration WAIT = Duration.ofSeconds(20);
    static final String WORKER = "stage1-worker@x#1";

    /** Storage stands in (images, files), and two event streams per tenant, so that the bound is reached. */
    public static class Tenants implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("campanile.gateway.limits.sse-streams-per-tenant", "2");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(FakeStorage.class));
        }
    }

    @TestHTTPResource("/")
    URL base;

    @Inject
    JsonProducer producer;

    @Inject
    LiveEventsConsumer live;

    @Inject
    SseStreams streams;

    String tenantA;
    String tenantB;
    String keyA;
    String keyB;
    UUID jobA;

    @BeforeEach
    void twoTenantsAndAJobOfA() throws Exception {
        AdminKeyByDefault.off();
        String run = UUID.randomUUID().toString().substring(0, 8);
        tenantA = "a-" + run;
        tenantB = "b-" + run;
        keyA = TestKeys.create("alice", tenantA, false);
        keyB = TestKeys.create("bob", tenantB, false);
        jobA = JobRows.insert("RUNNING", tenantA);
        await().atMost(WAIT).until(live::reading);
        await().atMost(WAIT).until(() -> streams.open() == 0);
    }

    private String url(String path) {
        return base.toString().replaceAll("/$", "") + path;
    }

    private void report(JobEventMessage e) {
        producer.send(Topics.JOB_EVENTS, e.jobId().toString(), e);
    }

    /** The problem B gets for A's job, with the id taken out, must be the one for an unknown id. */
    private void sameAsUnknown(String pathOfA, String pathOfUnknown, String idOfA, String unknownId) {
        String a = as(keyB).when().get(pathOfA).then().statusCode(404).extract().asString();
        String u = as(keyB).when()
                .get(pathOfUnknown)
                .then()
                .statusCode(404)
                .extract()
                .asString();
        assertEquals(u.replace(unknownId, "ID"), a.replace(idOfA, "ID"), "another tenant's id reads as unknown");
    }

    @Test
    void bListsNoneOfAsJobsWhileAAndTheAdminSeeThem() {
        List<String> ofB = as(keyB).when()
                .get("/v1/jobs?limit=100")
                .then()
                .statusCode(200)
                .extract()
                .path("items.id");
        assertTrue(ofB.isEmpty(), "B has no jobs and sees none: " + ofB);
        as(keyB).when().get("/v1/jobs?status=RUNNING&limit=100").then().body("items.id", not(hasItem(jobA.toString())));
        as(keyA).when().get("/v1/jobs").then().statusCode(200).body("items.id", equalTo(List.of(jobA.toString())));
        as(ADMIN).when().get("/v1/jobs?limit=100").then().statusCode(200).body("items.id", hasItem(jobA.toString()));
    }

    @Test
    void bCannotReadAsJobNorItsFilesNorItsImages() {
        UUID unknown = UUID.randomUUID();
        sameAsUnknown("/v1/jobs/" + jobA, "/v1/jobs/" + unknown, jobA.toString(), unknown.toString());
        sameAsUnknown(
                "/v1/jobs/" + jobA + "/files/losses.csv",
                "/v1/jobs/" + unknown + "/files/losses.csv",
                jobA.toString(),
                unknown.toString());
        sameAsUnknown("/v1/images/" + jobA, "/v1/images/" + unknown, jobA.toString(), unknown.toString());
        sameAsUnknown(
                "/v1/jobs/" + jobA + "/preview",
                "/v1/jobs/" + unknown + "/preview",
                jobA.toString(),
                unknown.toString());

        as(keyA).when().get("/v1/jobs/" + jobA).then().statusCode(200).body("id", equalTo(jobA.toString()));
        as(ADMIN).when().get("/v1/jobs/" + jobA).then().statusCode(200);
        as(keyA).when().get("/v1/jobs/" + jobA + "/files/losses.csv").then().statusCode(200);
        as(ADMIN).when().get("/v1/jobs/" + jobA + "/files/losses.csv").then().statusCode(200);
        as(keyA).when()
                .get("/v1/images/" + jobA) // the stand-in storage says image X belongs to job X
                .then()
                .statusCode(200)
                .header("Cache-Control", "private, max-age=31536000, immutable");
        as(ADMIN).when().get("/v1/images/" + jobA).then().statusCode(200);
    }

    @Test
    void bCannotDeleteAsJob() throws Exception {
        UUID done = JobRows.insert("SUCCEEDED", tenantA);
        String before = JobRows.snapshot(done);
        as(keyB).when().delete("/v1/jobs/" + done).then().statusCode(404);
        assertEquals(before, JobRows.snapshot(done), "B's delete changed nothing");
        as(keyA).when().delete("/v1/jobs/" + done).then().statusCode(204);
        as(keyA).when().get("/v1/jobs/" + done).then().statusCode(404);
    }

    @Test
    void bCannotCancelAsJob() throws Exception {
        String before = JobRows.snapshot(jobA);
        as(keyB).when().post("/v1/jobs/" + jobA + "/cancel").then().statusCode(404);
        assertEquals(before, JobRows.snapshot(jobA), "B's cancel changed nothing");
        as(keyA).when()
                .post("/v1/jobs/" + jobA + "/cancel")
                .then()
                .statusCode(202)
                .body("cancel_requested", equalTo(true));
        UUID another = JobRows.insert("QUEUED", tenantA);
        as(ADMIN)
                .when()
                .post("/v1/jobs/" + another + "/cancel")
                .then()
                .statusCode(202)
                .body("status", equalTo("CANCELLED"));
    }

    @Test
    void bCannotFollowAsJobAndItsEventStreamShowsOnlyItsOwnJobs() throws Exception {
        SseClient.RefusedException refused = assertThrows(
                SseClient.RefusedException.class,
                () -> SseClient.open(url("/v1/jobs/" + jobA + "/events"), null, keyB));
        assertEquals(404, refused.refused.status());
        UUID jobB = JobRows.insert("QUEUED", tenantB);
        UUID running = JobRows.insert("QUEUED", tenantA);
        try (SseClient ofA = SseClient.open(url("/v1/events"), null, keyA);
                SseClient ofB = SseClient.open(url("/v1/events"), null, keyB);
                SseClient ofAdmin = SseClient.open(url("/v1/events"), null, ADMIN);
                SseClient jobStream = SseClient.open(url("/v1/jobs/" + running + "/events"), null, keyA)) {
            assertEquals("status", jobStream.next(WAIT).name());
            await().atMost(WAIT).until(() -> streams.open() == 4);
            report(JobEventMessage.started(running, WORKER));
            report(JobEventMessage.progress(running, WORKER, new Progress("sample", 1, 4)));
            report(JobEventMessage.preview(running, WORKER, new Preview("sample", 1, 4, LiveEventsTest.png())));
            assertTrue(ids(ofA.until("preview", WAIT)).contains(running.toString()), "A follows its job");
            assertTrue(ids(ofAdmin.until("preview", WAIT)).contains(running.toString()), "the admin sees every job");
            report(JobEventMessage.started(jobB, WORKER)); // then a change of B's own job: B's stream gets it first
            List<SseClient.Event> seenByB = ofB.until("job", WAIT);
            assertEquals(List.of(jobB.toString()), ids(seenByB), "B's stream shows only B's job: " + seenByB);
        }
        as(keyA).when().get("/v1/jobs/" + running + "/preview").then().statusCode(200);
        as(ADMIN).when().get("/v1/jobs/" + running + "/preview").then().statusCode(200);
        as(keyB).when().get("/v1/jobs/" + running + "/preview").then().statusCode(404);
        as(keyB).when().get("/v1/jobs/" + running + "/events").then().statusCode(404);
    }

    private static List<String> ids(List<SseClient.Event> events) {
        List<String> ids = new ArrayList<>();
        for (SseClient.Event e : events) {
            if (e.name() != null && e.data() != null && !e.data().isBlank()) {
                JsonPath j = JsonPath.from(e.data());
                String id = j.getString("job_id") != null ? j.getString("job_id") : j.getString("id");
                if (id != null && !ids.contains(id)) {
                    ids.add(id);
                }
            }
        }
        return ids;
    }

    @Test
    void anIdempotencyKeyBelongsToItsTenant() {
        String key = "same-" + UUID.randomUUID();
        Map<String, Object> sample = DatabaseDownTest.SAMPLE;
        String ofA = as(keyA).contentType("application/json")
                .header("Idempotency-Key", key)
                .body(sample)
                .when()
                .post("/v1/jobs")
                .then()
                .statusCode(202)
                .header("Idempotent-Replayed", "false")
                .extract()
                .path("id");
        String ofB = as(keyB).contentType("application/json")
                .header("Idempotency-Key", key)
                .body(sample)
                .when()
                .post("/v1/jobs")
                .then()
                .statusCode(202)
                .header("Idempotent-Replayed", "false")
                .extract()
                .path("id");
        assertNotEquals(ofA, ofB, "the same key makes one job per tenant");
        as(keyA).contentType("application/json")
                .header("Idempotency-Key", key)
                .body(sample)
                .when()
                .post("/v1/jobs")
                .then()
                .statusCode(202)
                .header("Idempotent-Replayed", "true")
                .body("id", equalTo(ofA));
        as(keyB).when().get("/v1/jobs/" + ofA).then().statusCode(404);
        as(keyB).when().get("/v1/jobs/" + ofB).then().statusCode(200);
    }

    @Test
    void eachTenantHasItsOwnBoundOnOpenStreams() throws Exception {
        try (SseClient one = SseClient.open(url("/v1/events"), null, keyB);
                SseClient two = SseClient.open(url("/v1/events"), null, keyB)) {
            await().atMost(WAIT).until(() -> streams.open() == 2);
            JsonPath problem = as(keyB).when()
                    .get("/v1/events")
                    .then()
                    .statusCode(429)
                    .contentType("application/problem+json")
                    .header("Retry-After", "5")
                    .extract()
                    .jsonPath();
            assertEquals("sse-streams-per-tenant", problem.getString("limit"));
            assertEquals("Too many requests", problem.getString("title"));
            assertTrue(problem.getString("detail").contains("campanile.gateway.limits.sse-streams-per-tenant"));
            try (SseClient ofA = SseClient.open(url("/v1/jobs/" + jobA + "/events"), null, keyA)) {
                assertEquals("status", ofA.next(WAIT).name(), "another tenant still gets a stream");
            }
        }
        await().atMost(WAIT).until(() -> streams.open() == 0);
        try (SseClient again = SseClient.open(url("/v1/events"), null, keyB)) { // the tenant's slots came back
            await().atMost(WAIT).until(() -> streams.open() == 1);
        }
    }
}
