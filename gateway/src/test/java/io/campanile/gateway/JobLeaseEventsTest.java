package io.campanile.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.campanile.contracts.JobEventMessage;
import io.campanile.gateway.service.JobEventApplier;
import io.campanile.testkit.InfrastructureResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Attempts and leases on real PostgreSQL: STARTED and HEARTBEAT hold the lease of the newest attempt, a beat of an
 * older attempt changes nothing, HANDED_OFF ends the lease until the next stage starts the job, and the API shows
 * the attempt and the lease.
 */
@QuarkusTest
@WithTestResource(value = InfrastructureResource.class, initArgs = @ResourceArg(name = "schema", value = "gateway"))
class JobLeaseEventsTest {
    static final String FIRST = "stage1-worker@a#1";
    static final String SECOND = "stage1-worker@b#2";
    static final String STAGE2 = "stage2-worker@c#3";

    @Inject
    JobEventApplier applier;

    private static Instant in(long minutes) {
        return Instant.now().plus(Duration.ofMinutes(minutes)).truncatedTo(ChronoUnit.MILLIS);
    }

    @Test
    void heartbeatsRenewTheLeaseOfTheNewestAttemptOnly() throws Exception {
        UUID job = JobRows.insert("QUEUED");
        Instant first = in(1);
        assertTrue(applier.apply(JobEventMessage.started(job, FIRST, 1, first)));
        assertEquals("RUNNING", JobRows.column(job, "status"));
        assertEquals("1", JobRows.column(job, "attempt"));
        assertEquals(first, JobRows.instant(job, "lease_expires_at"));

        Instant renewed = in(2);
        assertTrue(applier.apply(JobEventMessage.heartbeat(job, FIRST, 1, renewed)));
        assertEquals(renewed, JobRows.instant(job, "lease_expires_at"));

        Instant taken = in(3);
        assertTrue(applier.apply(JobEventMessage.started(job, SECOND, 2, taken)), "another replica took the job");
        String afterTakeOver = JobRows.snapshot(job);
        assertFalse(applier.apply(JobEventMessage.heartbeat(job, FIRST, 1, in(30))), "a beat of the lost attempt");
        assertEquals(afterTakeOver, JobRows.snapshot(job));

        Instant latest = in(4);
        assertTrue(applier.apply(JobEventMessage.heartbeat(job, SECOND, 2, latest)));
        given().when()
                .get("/v1/jobs/" + job)
                .then()
                .statusCode(200)
                .body("worker", equalTo(SECOND))
                .body("attempt", equalTo(2))
                .body("lease_expires_at", equalTo(latest.toString()))
                .body("status", equalTo("RUNNING"));
    }

    @Test
    void aHandOffEndsTheLeaseUntilTheNextStageStartsTheJob() throws Exception {
        UUID job = JobRows.insert("QUEUED");
        applier.apply(JobEventMessage.started(job, FIRST, 1, in(1)));
        assertTrue(applier.apply(JobEventMessage.handedOff(job, FIRST, "stage2-requests")));
        assertEquals("RUNNING", JobRows.column(job, "status"));
        assertNull(JobRows.instant(job, "lease_expires_at"));
        assertEquals("queued for stage2-requests", JobRows.column(job, "progress_stage"));
        String queued = JobRows.snapshot(job);
        assertFalse(applier.apply(JobEventMessage.heartbeat(job, FIRST, 1, in(5))), "a beat still in flight");
        assertEquals(queued, JobRows.snapshot(job));

        Instant lease = in(2);
        assertTrue(applier.apply(JobEventMessage.started(job, STAGE2, 1, lease)));
        assertEquals(STAGE2, JobRows.column(job, "worker"));
        assertEquals(lease, JobRows.instant(job, "lease_expires_at"));
        assertTrue(applier.apply(JobEventMessage.heartbeat(job, STAGE2, 1, in(3))));

        assertTrue(applier.apply(JobEventMessage.succeeded(job, STAGE2, Map.of("run_ms", 5L))));
        assertNull(JobRows.instant(job, "lease_expires_at"), "a finished job holds no lease");
        String done = JobRows.snapshot(job);
        assertFalse(applier.apply(JobEventMessage.heartbeat(job, STAGE2, 1, in(10))));
        assertFalse(applier.apply(JobEventMessage.handedOff(job, STAGE2, "stage2-requests")));
        assertEquals(done, JobRows.snapshot(job), "a finished job never changes");
    }

    @Test
    void aHandOffOvertakenByTheNextStagesStartIsIgnored() throws Exception {
        UUID job = JobRows.insert("QUEUED");
        applier.apply(JobEventMessage.started(job, FIRST, 1, in(1)));
        Instant lease = in(2);
        applier.apply(JobEventMessage.started(job, STAGE2, 1, lease));
        String running = JobRows.snapshot(job);
        assertFalse(applier.apply(JobEventMessage.handedOff(job, FIRST, "stage2-requests")));
        assertEquals(running, JobRows.snapshot(job));
        assertEquals(lease, JobRows.instant(job, "lease_expires_at"));
    }

    @Test
    void aStartWithoutALeaseStillRuns() throws Exception {
        UUID job = JobRows.insert("QUEUED");
        assertTrue(applier.apply(JobEventMessage.started(job, FIRST)));
        assertEquals("RUNNING", JobRows.column(job, "status"));
        assertNull(JobRows.column(job, "attempt"));
        assertNull(JobRows.instant(job, "lease_expires_at"));
    }
}
