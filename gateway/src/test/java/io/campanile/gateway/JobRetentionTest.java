package io.campanile.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.campanile.gateway.service.RetentionSweeper;
import io.campanile.testkit.Infrastructure;
import io.campanile.testkit.InfrastructureResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code DELETE /v1/jobs/{id}} and the retention sweep on real PostgreSQL, against a fake storage that records the
 * deletes it is asked for and can be taken down. Ages are set in SQL and the sweep is run at chosen instants.
 */
@QuarkusTest
@TestProfile(RecordingStorage.Profile.class)
@WithTestResource(value = InfrastructureResource.class, initArgs = @ResourceArg(name = "schema", value = "gateway"))
class JobRetentionTest {
    @Inject
    RetentionSweeper sweeper;

    @AfterEach
    void storageUp() {
        RecordingStorage.down(false);
    }

    /** A job in {@code status} that finished {@code daysAgo} days ago, with one output. */
    private static UUID finished(String status, int daysAgo) throws SQLException {
        UUID job = JobRows.insert(status);
        JobRows.update(job, "finished_at = now() - make_interval(days => " + daysAgo + ")");
        execute(
                "insert into gateway.job_outputs (job_id, image_id, role, ordinal) values (?, gen_random_uuid(), "
                        + "'final', 0)",
                job);
        return job;
    }

    private static boolean exists(UUID job) throws SQLException {
        return count("select count(*) from gateway.jobs where id = ?", job) == 1;
    }

    private static boolean deletedInStorage(UUID job) {
        return RecordingStorage.calls().contains("DELETE /internal/jobs/" + job + " ");
    }

    @Test
    void aFinishedJobIsDeletedWithItsOutputsAndItsStorageData() throws Exception {
        for (String status : List.of("SUCCEEDED", "FAILED", "CANCELLED")) {
            UUID job = finished(status, 0);
            given().when().delete("/v1/jobs/" + job).then().statusCode(204);
            assertTrue(deletedInStorage(job), status);
            assertEquals(false, exists(job), status);
            assertEquals(0, JobRows.outputs(job), status);
            given().when().get("/v1/jobs/" + job).then().statusCode(404);
            given().when().delete("/v1/jobs/" + job).then().statusCode(404);
        }
    }

    @Test
    void aJobNotFinishedIsAConflictAndAnUnknownOneIsNotFound() throws Exception {
        for (String status : List.of("QUEUED", "RUNNING")) {
            UUID job = JobRows.insert(status);
            String before = JobRows.snapshot(job);
            given().when()
                    .delete("/v1/jobs/" + job)
                    .then()
                    .statusCode(409)
                    .contentType("application/problem+json")
                    .body("field", equalTo("status"))
                    .body(
                            "detail",
                            equalTo("job " + job + " is " + status
                                    + ": cancel it first, and delete it once it stopped"));
            assertEquals(before, JobRows.snapshot(job), "left as it was");
            assertTrue(!deletedInStorage(job));
        }
        given().when().delete("/v1/jobs/" + UUID.randomUUID()).then().statusCode(404);
        given().when().delete("/v1/jobs/not-a-uuid").then().statusCode(404);
    }

    @Test
    void storageDownIsA503ThatKeepsTheJobMarkedAndTheSweepFinishesIt() throws Exception {
        UUID job = finished("SUCCEEDED", 0);
        RecordingStorage.down(true);
        given().when()
                .delete("/v1/jobs/" + job)
                .then()
                .statusCode(503)
                .header("Retry-After", "5")
                .body("detail", equalTo("storage is unavailable, retry later"));
        assertTrue(exists(job), "the job stays until storage deleted its data");
        assertNotNull(JobRows.instant(job, "deleting_at"));
        assertEquals("SUCCEEDED", JobRows.column(job, "status"));
        assertEquals(1, JobRows.outputs(job));

        sweeper.sweepOnce(Instant.now().plus(Duration.ofMinutes(2)));
        assertTrue(exists(job), "storage still down");

        RecordingStorage.down(false);
        sweeper.sweepOnce(Instant.now());
        assertTrue(exists(job), "a mark younger than a minute belongs to a request still in flight");
        sweeper.sweepOnce(Instant.now().plus(Duration.ofMinutes(2)));
        assertEquals(false, exists(job));
        assertTrue(deletedInStorage(job));
    }

    @Test
    void theSweepDeletesOnlyJobsFinishedLongerAgoThanTheRetention() throws Exception {
        UUID oldSucceeded = finished("SUCCEEDED", 31);
        UUID oldFailed = finished("FAILED", 31);
        UUID oldCancelled = finished("CANCELLED", 31);
        UUID young = finished("SUCCEEDED", 29);
        UUID oldRunning = JobRows.insert("RUNNING");
        JobRows.update(oldRunning, "created_at = now() - interval '40 days'");

        RecordingStorage.down(true);
        sweeper.sweepOnce(Instant.now());
        assertTrue(exists(oldSucceeded) && exists(oldFailed) && exists(oldCancelled), "kept while storage is down");

        RecordingStorage.down(false);
        sweeper.sweepOnce(Instant.now());
        for (UUID job : List.of(oldSucceeded, oldFailed, oldCancelled)) {
            assertEquals(false, exists(job));
            assertEquals(0, JobRows.outputs(job));
            assertTrue(deletedInStorage(job));
        }
        assertTrue(exists(young), "finished 29 days ago");
        assertTrue(exists(oldRunning), "not finished");
        assertTrue(!deletedInStorage(young) && !deletedInStorage(oldRunning));

        sweeper.sweepOnce(Instant.now().plus(Duration.ofDays(2)));
        assertEquals(false, exists(young), "two days later it is past the retention too");
    }

    @Test
    void processedEventsOlderThanAWeekArePruned() throws Exception {
        UUID old = UUID.randomUUID();
        UUID recent = UUID.randomUUID();
        execute(
                "insert into gateway.processed_events (event_id, processed_at) "
                        + "values (?, now() - interval '8 days')",
                old);
        execute(
                "insert into gateway.processed_events (event_id, processed_at) "
                        + "values (?, now() - interval '6 days')",
                recent);
        sweeper.sweepOnce(Instant.now());
        assertEquals(0, JobRows.processedEvents(old));
        assertEquals(1, JobRows.processedEvents(recent));
    }

    @Test
    void aSubmittedJobIsRegisteredWithStorageWithItsTenantAndInputs() throws Exception {
        String id = given().contentType("application/json")
                .body(Map.of("type", "forward", "image", DependencyDownTest.photo()))
                .when()
                .post("/v1/jobs")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        String sha = RecordingStorage.calls().stream()
                .filter(c -> c.startsWith("POST /internal/jobs/" + id + " "))
                .findFirst()
                .orElseThrow(() -> new AssertionError("job " + id + " not registered: " + RecordingStorage.calls()));
        assertTrue(
                sha.matches(
                        "POST /internal/jobs/" + id + " \\{\"tenant\":\"default\",\"inputs\":\\[\"[0-9a-f]{64}\"]}"),
                sha);
        assertEquals("default", JobRows.column(UUID.fromString(id), "tenant"));
    }

    private static long count(String sql, UUID id) throws SQLException {
        try (Connection c = Infrastructure.postgres().connect();
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setObject(1, id);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static void execute(String sql, UUID id) throws SQLException {
        try (Connection c = Infrastructure.postgres().connect();
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setObject(1, id);
            s.executeUpdate();
        }
    }
}
