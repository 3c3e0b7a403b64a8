package io.campanile.gateway;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.campanile.contracts.JobControlMessage;
import io.campanile.contracts.JobEventMessage;
import io.campanile.contracts.Json;
import io.campanile.contracts.Topics;
import io.campanile.gateway.service.JobEventApplier;
import io.campanile.gateway.service.LeaseReaper;
import io.campanile.testkit.Infrastructure;
import io.campanile.testkit.InfrastructureResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * The lease reaper on real PostgreSQL, driven by {@link LeaseReaper#reapOnce} at chosen instants (defaults: 120 s of
 * grace, 1440 minutes in a queue). Leases are set ten days ahead so that the reaper's own schedule, which runs at the
 * real time, never reaches them.
 */
@QuarkusTest
@WithTestResource(value = InfrastructureResource.class, initArgs = @ResourceArg(name = "schema", value = "gateway"))
class LeaseReaperTest {
    static final String WORKER = "stage1-worker@a#1";

    @Inject
    LeaseReaper reaper;

    @Inject
    JobEventApplier applier;

    private static Instant farLease() {
        return Instant.now().plus(Duration.ofDays(10)).truncatedTo(ChronoUnit.MILLIS);
    }

    private UUID running(Instant lease) throws Exception {
        UUID job = JobRows.insert("QUEUED");
        applier.apply(JobEventMessage.started(job, WORKER, 2, lease));
        return job;
    }

    @Test
    void aJobWhoseLeaseLapsedPastTheGraceFailsOnceAndIsCancelled() throws Exception {
        Instant lease = farLease();
        UUID job = running(lease);
        long version = Long.parseLong(JobRows.column(job, "version"));
        reaper.reapOnce(lease.plusSeconds(121));
        assertEquals("FAILED", JobRows.column(job, "status"));
        assertEquals(
                "worker lost: " + WORKER + " stopped renewing the lease of attempt 2 at " + lease
                        + ", and no replica resumed the job within 120 s",
                JobRows.column(job, "error"));
        assertEquals(version + 1, Long.parseLong(JobRows.column(job, "version")));
        assertEquals(lease.plusSeconds(121), JobRows.instant(job, "finished_at"));
        String failed = JobRows.snapshot(job);
        reaper.reapOnce(lease.plusSeconds(121));
        reaper.reapOnce(lease.plus(Duration.ofDays(5)));
        assertEquals(failed, JobRows.snapshot(job), "a job fails once");
        assertNotNull(cancelBroadcastOf(job), "workers are told to skip the job");
    }

    @Test
    void aLeaseWithinTheGraceIsLeftAlone() throws Exception {
        Instant lease = farLease();
        UUID job = running(lease);
        String before = JobRows.snapshot(job);
        reaper.reapOnce(lease.minusSeconds(1));
        reaper.reapOnce(lease.plusSeconds(119));
        assertEquals(before, JobRows.snapshot(job));
    }

    @Test
    void leasesAreJudgedByWhenEventsWereLastAllAppliedNotByTheWallClock() throws Exception {
        Instant lease = farLease();
        UUID job = running(lease);
        String before = JobRows.snapshot(job);
        // the gateway comes back after a long outage: its heartbeats still wait in job-events
        reaper.reapOnce(lease.plus(Duration.ofHours(1)), null);
        reaper.reapOnce(lease.plus(Duration.ofHours(1)), lease.plusSeconds(119));
        assertEquals(before, JobRows.snapshot(job), "a lease is not lapsed before the events are caught up");
        reaper.reapOnce(lease.plus(Duration.ofHours(1)), lease.plusSeconds(121));
        assertEquals("FAILED", JobRows.column(job, "status"));
        assertEquals(lease.plus(Duration.ofHours(1)), JobRows.instant(job, "finished_at"));
    }

    @Test
    void aLeaseRenewedByAHeartbeatIsLeftAlone() throws Exception {
        Instant lease = farLease();
        UUID job = running(lease);
        Instant renewed = lease.plus(Duration.ofHours(1));
        applier.apply(JobEventMessage.heartbeat(job, WORKER, 2, renewed));
        String before = JobRows.snapshot(job);
        reaper.reapOnce(lease.plusSeconds(121));
        assertEquals(before, JobRows.snapshot(job));
        reaper.reapOnce(renewed.plusSeconds(121));
        assertEquals("FAILED", JobRows.column(job, "status"), "until the renewed lease lapses too");
    }

    @Test
    void aJobQueuedPastTheTimeoutFails() throws Exception {
        UUID job = JobRows.insert("QUEUED");
        Instant created = JobRows.instant(job, "created_at");
        String before = JobRows.snapshot(job);
        reaper.reapOnce(created.plus(Duration.ofMinutes(1439)));
        assertEquals(before, JobRows.snapshot(job));
        reaper.reapOnce(created.plus(Duration.ofMinutes(1441)));
        assertEquals("FAILED", JobRows.column(job, "status"));
        assertEquals("not started within 1440 minutes of queueing", JobRows.column(job, "error"));
        assertNotNull(cancelBroadcastOf(job));
    }

    @Test
    void aJobWaitingInTheNextStagesQueuePastTheTimeoutFails() throws Exception {
        UUID job = running(farLease());
        applier.apply(JobEventMessage.handedOff(job, WORKER, "stage2-requests"));
        Instant queued = JobRows.instant(job, "updated_at");
        String before = JobRows.snapshot(job);
        reaper.reapOnce(queued.plus(Duration.ofMinutes(1439)));
        assertEquals(before, JobRows.snapshot(job), "no lease to lapse while it waits");
        reaper.reapOnce(queued.plus(Duration.ofMinutes(1441)));
        assertEquals("FAILED", JobRows.column(job, "status"));
        assertEquals("not started within 1440 minutes of queueing for stage2-requests", JobRows.column(job, "error"));
    }

    @Test
    void finishedJobsNeverChange() throws Exception {
        List<UUID> jobs = new ArrayList<>();
        List<String> before = new ArrayList<>();
        for (String status : List.of("SUCCEEDED", "FAILED", "CANCELLED")) {
            UUID job = JobRows.insert(status);
            JobRows.update(
                    job,
                    "lease_expires_at = now() - interval '1 day', attempt = 1, worker = 'w', "
                            + "created_at = now() - interval '30 days', updated_at = now() - interval '30 days'");
            jobs.add(job);
            before.add(JobRows.snapshot(job));
        }
        reaper.reapOnce(Instant.now().plus(Duration.ofDays(60)));
        for (int i = 0; i < jobs.size(); i++) {
            assertEquals(before.get(i), JobRows.snapshot(jobs.get(i)));
        }
    }

    @Test
    void replicasReapingSideBySideFailEachJobOnce() throws Exception {
        Instant lease = farLease();
        List<UUID> jobs = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            jobs.add(running(lease));
        }
        long version = Long.parseLong(JobRows.column(jobs.get(0), "version"));
        ExecutorService replicas = Executors.newFixedThreadPool(3);
        try {
            List<Future<Integer>> passes = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                passes.add(replicas.submit(() -> reaper.reapOnce(lease.plusSeconds(121))));
            }
            for (Future<Integer> pass : passes) {
                pass.get();
            }
        } finally {
            replicas.shutdownNow();
        }
        for (UUID job : jobs) {
            assertEquals("FAILED", JobRows.column(job, "status"));
            assertEquals(version + 1, Long.parseLong(JobRows.column(job, "version")), "failed once: " + job);
        }
    }

    @Test
    void theReaperRunsOnItsOwnSchedule() throws Exception {
        UUID job = running(farLease());
        JobRows.update(job, "lease_expires_at = now() - interval '1 hour'");
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> JobRows.column(job, "status").equals("FAILED"));
        assertTrue(JobRows.column(job, "error").startsWith("worker lost: " + WORKER), JobRows.column(job, "error"));
    }

    /** The cancel command for the job on job-control, as workers receive it (the outbox relay publishes it). */
    private static JobControlMessage cancelBroadcastOf(UUID job) throws Exception {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> given().get("/q/health/ready").statusCode() == 200);
        Properties p = new Properties();
        p.put("bootstrap.servers", Infrastructure.kafka().bootstrapServers());
        p.put("key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
        p.put("value.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
        p.put("enable.auto.commit", "false");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.JOB_CONTROL).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    if (job.toString().equals(r.key())) {
                        JobControlMessage m = Json.mapper().readValue(r.value(), JobControlMessage.class);
                        assertTrue(m.jobId().equals(job) && JobControlMessage.TYPE_CANCEL.equals(m.type()), r.value());
                        return m;
                    }
                }
            }
        }
        return null;
    }
}
