package io.campanile.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.campanile.contracts.JobEventMessage;
import io.campanile.contracts.OutputRef;
import io.campanile.contracts.Progress;
import io.campanile.gateway.service.JobEventApplier;
import io.campanile.testkit.InfrastructureResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Job events on real PostgreSQL: an event applied a second time (a redelivery) changes nothing, and a job in a
 * terminal state keeps its row and outputs whatever arrives late.
 */
@QuarkusTest
@WithTestResource(value = InfrastructureResource.class, initArgs = @ResourceArg(name = "schema", value = "gateway"))
class JobEventApplierTest {
    static final String WORKER = "stage1-worker-1";

    @Inject
    JobEventApplier applier;

    @Test
    void anEventAppliedTwiceChangesNothing() throws Exception {
        UUID job = JobRows.insert("QUEUED");
        JobEventMessage started = JobEventMessage.started(job, WORKER);
        assertTrue(applier.apply(started));
        String running = JobRows.snapshot(job);
        assertEquals("RUNNING", JobRows.column(job, "status"));
        assertFalse(applier.apply(started), "a redelivered STARTED is a duplicate");
        assertEquals(running, JobRows.snapshot(job));

        JobEventMessage progress = JobEventMessage.progress(job, WORKER, new Progress("stage1", 3, 10));
        assertTrue(applier.apply(progress));
        String afterProgress = JobRows.snapshot(job);
        assertFalse(applier.apply(progress));
        assertEquals(afterProgress, JobRows.snapshot(job));

        JobEventMessage output =
                JobEventMessage.output(job, WORKER, new OutputRef(UUID.randomUUID(), "noisy t=250", 0));
        assertTrue(applier.apply(output));
        String afterOutput = JobRows.snapshot(job);
        assertFalse(applier.apply(output));
        assertEquals(afterOutput, JobRows.snapshot(job));
        assertEquals(1, JobRows.outputs(job));
    }

    @Test
    void aSucceededJobStaysPutWhateverArrivesLate() throws Exception {
        UUID job = JobRows.insert("QUEUED");
        applier.apply(JobEventMessage.started(job, WORKER));
        applier.apply(JobEventMessage.output(job, WORKER, new OutputRef(UUID.randomUUID(), "noisy t=250", 0)));
        JobEventMessage succeeded = JobEventMessage.succeeded(job, WORKER, Map.of("run_ms", 42L));
        assertTrue(applier.apply(succeeded));
        String done = JobRows.snapshot(job);
        assertEquals("SUCCEEDED", JobRows.column(job, "status"));

        assertFalse(applier.apply(succeeded), "the same SUCCEEDED again");
        assertFalse(applier.apply(JobEventMessage.progress(job, WORKER, new Progress("stage1", 9, 10))));
        assertFalse(
                applier.apply(JobEventMessage.output(job, WORKER, new OutputRef(UUID.randomUUID(), "noisy t=500", 1))));
        assertFalse(applier.apply(JobEventMessage.failed(job, "stage1-worker-2", "a late failure")));
        assertFalse(applier.apply(JobEventMessage.cancelled(job, WORKER)));
        assertFalse(applier.apply(JobEventMessage.started(job, "stage1-worker-2")));
        assertEquals(done, JobRows.snapshot(job), "row and outputs of a finished job never change");
        assertEquals(1, JobRows.outputs(job));
        assertNull(JobRows.column(job, "error"));
    }

    @Test
    void aFailedJobStaysFailed() throws Exception {
        UUID job = JobRows.insert("RUNNING");
        assertTrue(applier.apply(JobEventMessage.failed(job, WORKER, "out of memory")));
        String failed = JobRows.snapshot(job);
        assertFalse(applier.apply(JobEventMessage.succeeded(job, WORKER, Map.of())));
        assertFalse(applier.apply(JobEventMessage.progress(job, WORKER, new Progress("stage1", 1, 10))));
        assertEquals(failed, JobRows.snapshot(job));
        assertEquals("out of memory", JobRows.column(job, "error"));
    }

    @Test
    void anEventForAnUnknownJobIsIgnored() {
        assertFalse(applier.apply(JobEventMessage.started(UUID.randomUUID(), WORKER)));
    }
}
