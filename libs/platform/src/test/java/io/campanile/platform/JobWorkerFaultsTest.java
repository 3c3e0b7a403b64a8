package io.campanile.platform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.campanile.contracts.BlobRef;
import io.campanile.contracts.JobEventMessage;
import io.campanile.contracts.JobEventType;
import io.campanile.contracts.JobRequestMessage;
import io.campanile.contracts.Json;
import io.campanile.contracts.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A worker's job under faults, on a real broker and a storage stand-in: an output computed while storage is away waits
 * in memory and is stored once storage is back, without running the job again; an outage past the bound fails the job
 * with the reason; a job started too often is failed, not run; a job handed back reports nothing final.
 */
class JobWorkerFaultsTest {
    private static final String INSTANCE = "faults-worker";

    @BeforeAll
    static void broker() {
        JobWorkerCancellationTest.broker();
    }

    private static JobWorker worker(
            FakeStorage storage, CancellationRegistry registry, JobPolicy policy, TestOperation op) {
        return new JobWorker(
                Operations.of(List.of(op)),
                new JobWorker.Services(
                        JobWorkerCancellationTest.producer,
                        new StorageClient(storage.url()),
                        registry,
                        INSTANCE,
                        0,
                        Topics.STAGE1_REQUESTS,
                        policy));
    }

    private static JobPolicy policy(Duration outage) {
        return new JobPolicy(Duration.ofSeconds(30), 3, outage, Duration.ofMinutes(10), Optional.empty());
    }

    private static CancellationRegistry registry() {
        CancellationRegistry r = new CancellationRegistry(JobWorkerCancellationTest.settings, INSTANCE);
        r.start();
        return r;
    }

    private static final byte[] PNG = {1, 2, 3};
    private static final byte[] NPY = {4, 5, 6};

    @Test
    void anOutputComputedWhileStorageIsDownIsStoredWhenItComesBackWithoutRerunningTheJob() throws Exception {
        UUID job = UUID.randomUUID();
        AtomicInteger runs = new AtomicInteger();
        try (FakeStorage storage = new FakeStorage();
                CancellationRegistry registry = registry()) {
            worker(storage, registry, policy(Duration.ofSeconds(60)), context -> {
                        runs.incrementAndGet();
                        storage.downFor(3_000); // storage restarts just as the denoising loop ends
                        context.outputs().store("result", PNG, NPY, List.of(3, 2, 2), "[-1,1]");
                    })
                    .handle(JobWorkerCancellationTest.request(job), () -> false);
            assertEquals(1, runs.get(), "the job ran once");
            assertEquals(1, storage.images());
            assertTrue(storage.refused() > 0, "storage was really down");
        }
        assertEquals(
                List.of(JobEventType.STARTED, JobEventType.OUTPUT, JobEventType.SUCCEEDED),
                JobWorkerCancellationTest.events(job, JobEventType.SUCCEEDED).stream()
                        .filter(e -> e != JobEventType.HEARTBEAT)
                        .toList());
    }

    @Test
    void outputsAreStoredWhileTheJobGoesOnAndAllAreInStorageBeforeItSucceeds() throws Exception {
        UUID job = UUID.randomUUID();
        List<String> seen = new ArrayList<>();
        try (FakeStorage storage = new FakeStorage();
                CancellationRegistry registry = registry()) {
            storage.slowBlobPuts(500);
            worker(storage, registry, policy(Duration.ofSeconds(60)), context -> {
                        var a = context.outputs().store("a", PNG, NPY, List.of(3, 2, 2), "[-1,1]");
                        // store returned with the output's addresses before storage took it
                        seen.add("after store: " + storage.images() + " images, png "
                                + a.png().sha256());
                        // the job goes on computing while storage takes it
                        seen.add("stored while running: " + storage.awaitImages(1, 30_000));
                        context.outputs().store("b", new byte[] {9}, NPY, List.of(3, 2, 2), "[-1,1]");
                    })
                    .handle(JobWorkerCancellationTest.request(job), () -> false);
            assertEquals(2, storage.images(), "both outputs are in storage when the job has ended");
        }
        assertEquals(
                List.of(
                        "after store: 0 images, png "
                                + "039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81",
                        "stored while running: true"),
                seen);
        assertEquals(
                List.of(JobEventType.STARTED, JobEventType.OUTPUT, JobEventType.OUTPUT, JobEventType.SUCCEEDED),
                JobWorkerCancellationTest.events(job, JobEventType.SUCCEEDED).stream()
                        .filter(e -> e != JobEventType.HEARTBEAT)
                        .toList());
    }

    @Test
    void anOutagePastTheBoundFailsTheJobSayingWhy() throws Exception {
        UUID job = UUID.randomUUID();
        try (FakeStorage storage = new FakeStorage();
                CancellationRegistry registry = registry()) {
            worker(storage, registry, policy(Duration.ofSeconds(2)), context -> {
                        storage.downFor(60_000);
                        context.outputs().store("result", PNG, NPY, List.of(3, 2, 2), "[-1,1]");
                    })
                    .handle(JobWorkerCancellationTest.request(job), () -> false);
        }
        JobEventMessage failed = lastEvent(job);
        assertEquals(JobEventType.FAILED, failed.event());
        assertTrue(
                failed.error()
                        .matches("storage was unavailable for [23] s while the job tried to store output "
                                + "'result' \\(campanile.worker.outage-seconds = 2\\): .*503.*"),
                failed.error());
    }

    @Test
    void aJobStartedTooOftenIsFailedAndNotRunAgain() throws Exception {
        UUID job = UUID.randomUUID();
        AtomicBoolean ran = new AtomicBoolean();
        try (FakeStorage storage = new FakeStorage();
                CancellationRegistry registry = registry()) {
            storage.startedBefore(Topics.STAGE1_REQUESTS, job, 3); // three workers died running it
            worker(storage, registry, policy(Duration.ofSeconds(60)), context -> ran.set(true))
                    .handle(JobWorkerCancellationTest.request(job), () -> false);
        }
        assertTrue(!ran.get(), "a poison job is not run a fourth time");
        JobEventMessage failed = lastEvent(job);
        assertEquals(JobEventType.FAILED, failed.event());
        assertTrue(
                failed.error()
                        .startsWith("the job was started 3 times by stage1-requests workers without " + "finishing"),
                failed.error());
    }

    @Test
    void aDuplicateDeliveryOfAFinishedJobIsSkipped() throws Exception {
        UUID job = UUID.randomUUID();
        AtomicInteger runs = new AtomicInteger();
        try (FakeStorage storage = new FakeStorage();
                CancellationRegistry registry = registry()) {
            JobWorker worker =
                    worker(storage, registry, policy(Duration.ofSeconds(60)), context -> runs.incrementAndGet());
            worker.handle(JobWorkerCancellationTest.request(job), () -> false);
            // the same request again, as an outbox message published twice across a broker outage arrives
            worker.handle(JobWorkerCancellationTest.request(job), () -> false);
        }
        assertEquals(1, runs.get(), "the job ran once");
        List<JobEventMessage> events = events(job, 2);
        assertEquals(
                List.of(JobEventType.STARTED, JobEventType.SUCCEEDED, JobEventType.SUCCEEDED),
                events.stream()
                        .map(JobEventMessage::event)
                        .filter(e -> e != JobEventType.HEARTBEAT)
                        .toList());
        assertEquals(
                1,
                events.stream()
                        .filter(JobWorkerFaultsTest::isFinal)
                        .map(JobEventMessage::eventId)
                        .distinct()
                        .count(),
                "the second delivery publishes the recorded SUCCEEDED again, with the same id: one final event");
    }

    @Test
    void theFinishIsRecordedWithTheFinalEventItPublishes() throws Exception {
        UUID job = UUID.randomUUID();
        JobEventMessage recorded;
        try (FakeStorage storage = new FakeStorage();
                CancellationRegistry registry = registry()) {
            worker(storage, registry, policy(Duration.ofSeconds(60)), context -> {})
                    .handle(JobWorkerCancellationTest.request(job), () -> false);
            recorded = storage.finalEvent(Topics.STAGE1_REQUESTS, job);
        }
        JobEventMessage published = lastEvent(job);
        assertEquals(JobEventType.SUCCEEDED, published.event());
        assertEquals(published, recorded, "storage holds the very event published, its id included");
    }

    @Test
    void aWorkerThatDiedBetweenRecordingItsFinishAndPublishingItIsAnsweredByTheNextDelivery() throws Exception {
        UUID job = UUID.randomUUID();
        JobEventMessage unpublished = JobEventMessage.succeeded(job, "stage1-worker-2", Map.of("run_ms", 7L));
        AtomicInteger runs = new AtomicInteger();
        try (FakeStorage storage = new FakeStorage();
                CancellationRegistry registry = registry()) {
            storage.startedBefore(Topics.STAGE1_REQUESTS, job, 1);
            storage.finishedBefore(Topics.STAGE1_REQUESTS, job, unpublished); // then SIGKILL: no SUCCEEDED on the topic
            worker(storage, registry, policy(Duration.ofSeconds(60)), context -> runs.incrementAndGet())
                    .handle(JobWorkerCancellationTest.request(job), () -> false);
        }
        assertEquals(0, runs.get(), "the job is not run again");
        assertEquals(unpublished, lastEvent(job), "the recorded event is published, with its own id");
        assertEquals(List.of(JobEventType.SUCCEEDED), JobWorkerCancellationTest.events(job, JobEventType.SUCCEEDED));
    }

    @Test
    void aFinalEventStorageRefusesStillLeavesTheFinishRecorded() throws Exception {
        UUID job = UUID.randomUUID();
        String reason = "a reason longer than storage keeps: " + "x".repeat(70_000);
        AtomicInteger runs = new AtomicInteger();
        try (FakeStorage storage = new FakeStorage();
                CancellationRegistry registry = registry()) {
            JobWorker worker = worker(storage, registry, policy(Duration.ofSeconds(60)), context -> {
                runs.incrementAndGet();
                throw new JobFailedException(reason);
            });
            worker.handle(JobWorkerCancellationTest.request(job), () -> false);
            assertTrue(storage.isFinished(Topics.STAGE1_REQUESTS, job), "the finish alone was recorded");
            assertEquals(null, storage.finalEvent(Topics.STAGE1_REQUESTS, job));
            worker.handle(JobWorkerCancellationTest.request(job), () -> false); // a duplicate delivery
        }
        assertEquals(1, runs.get(), "the duplicate is skipped");
        JobEventMessage failed = lastEvent(job);
        assertEquals(JobEventType.FAILED, failed.event());
        assertEquals(reason, failed.error());
    }

    @Test
    void thePromptStatesAreReadWhileTheStartIsRecorded() throws Exception {
        JobInputs.forgetKept(); // the kept blobs are the process's: start from none
        UUID job = UUID.randomUUID();
        byte[] states = {7, 7, 7, 1};
        List<byte[]> read = new ArrayList<>();
        try (FakeStorage storage = new FakeStorage();
                CancellationRegistry registry = registry()) {
            BlobRef ref = new BlobRef(storage.putBlob(states));
            storage.slowStarts(1000);
            ConsumerRecord<String, String> record = JobWorkerCancellationTest.request(job);
            JobRequestMessage request = Json.mapper().readValue(record.value(), JobRequestMessage.class);
            String withStates = JsonProducer.toJson(request.withEmbeddings(Map.of("a prompt", ref)));
            worker(
                            storage,
                            registry,
                            policy(Duration.ofSeconds(60)),
                            context -> read.add(context.inputs().blob(ref)))
                    .handle(new ConsumerRecord<>(record.topic(), 0, 0, record.key(), withStates), () -> false);
            assertTrue(storage.firstBlobReadNanos() > 0, "the states were read");
            assertTrue(
                    storage.firstBlobReadNanos() < storage.attemptAnsweredNanos(),
                    "the states were read ahead, while storage took a second to record the start");
        }
        assertEquals(1, read.size());
        assertArrayEquals(states, read.get(0));
    }

    @Test
    void aPromptUsedBeforeIsNotReadFromStorageAgain() throws Exception {
        JobInputs.forgetKept(); // the kept blobs are the process's: start from none
        byte[] states = {7, 7, 7, 2};
        List<byte[]> read = new ArrayList<>();
        try (FakeStorage storage = new FakeStorage();
                CancellationRegistry registry = registry()) {
            BlobRef ref = new BlobRef(storage.putBlob(states));
            JobWorker worker = worker(
                    storage,
                    registry,
                    policy(Duration.ofSeconds(60)),
                    context -> read.add(context.inputs().blob(ref)));
            for (int i = 0; i < 3; i++) {
                ConsumerRecord<String, String> record = JobWorkerCancellationTest.request(UUID.randomUUID());
                JobRequestMessage request = Json.mapper().readValue(record.value(), JobRequestMessage.class);
                String withStates = JsonProducer.toJson(request.withEmbeddings(Map.of("a prompt", ref)));
                worker.handle(new ConsumerRecord<>(record.topic(), 0, 0, record.key(), withStates), () -> false);
            }
            assertEquals(1, storage.blobReads(), "the embedding was read from storage by the first job only");
        }
        assertEquals(3, read.size());
        read.forEach(r -> assertArrayEquals(states, r));
    }

    @Test
    void aFigureIsRenderedOffTheJobsSlotAndStoredInOrderBeforeTheJobSucceeds() throws Exception {
        UUID job = UUID.randomUUID();
        CountDownLatch computed = new CountDownLatch(1);
        AtomicBoolean drawnAfterTheJobComputed = new AtomicBoolean();
        try (FakeStorage storage = new FakeStorage();
                CancellationRegistry registry = registry()) {
            worker(storage, registry, policy(Duration.ofSeconds(60)), context -> {
                        context.outputs().storeRendered("sheet", "sheet", () -> {
                            try { // drawn in the job's thread, this would wait out its 10 s and record false
                                drawnAfterTheJobComputed.set(computed.await(10, TimeUnit.SECONDS));
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            return new JobOutputs.Encoded(PNG, NPY, List.of(3, 2, 2), "[0,1]");
                        });
                        context.outputs().store("after", new byte[] {8}, NPY, List.of(3, 2, 2), "[-1,1]");
                        computed.countDown();
                    })
                    .handle(JobWorkerCancellationTest.request(job), () -> false);
            assertTrue(drawnAfterTheJobComputed.get(), "the figure was drawn after the job's computation returned");
            assertEquals(2, storage.images(), "both outputs are in storage when the job has ended");
        }
        List<JobEventMessage> outputs = JobWorkerCancellationTest.messages(job, JobEventType.SUCCEEDED).stream()
                .filter(e -> e.event() == JobEventType.OUTPUT)
                .toList();
        assertEquals(
                List.of("sheet", "after"),
                outputs.stream().map(e -> e.output().role()).toList());
        assertEquals(
                List.of(0, 1), outputs.stream().map(e -> e.output().ordinal()).toList());
    }

    @Test
    void aFigureThatFailsToRenderFailsTheJobSayingWhy() throws Exception {
        UUID job = UUID.randomUUID();
        try (FakeStorage storage = new FakeStorage();
                CancellationRegistry registry = registry()) {
            worker(storage, registry, policy(Duration.ofSeconds(60)), context -> {
                        context.outputs().store("result", PNG, NPY, List.of(3, 2, 2), "[-1,1]");
                        context.outputs().storeRendered("sheet", "sheet", () -> {
                            throw new IllegalArgumentException("contact sheet: cell size must be positive, got 0");
                        });
                    })
                    .handle(JobWorkerCancellationTest.request(job), () -> false);
        }
        JobEventMessage last = lastEvent(job);
        assertEquals(JobEventType.FAILED, last.event());
        assertTrue(last.error().contains("cell size must be positive"), last.error());
    }

    @Test
    void aSecondDeliveryWhileTheJobRunsOnAnotherSlotIsSkipped() throws Exception {
        UUID job = UUID.randomUUID();
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (FakeStorage storage = new FakeStorage();
                CancellationRegistry registry = registry()) {
            JobWorker worker = worker(storage, registry, policy(Duration.ofSeconds(60)), context -> {
                runs.incrementAndGet();
                running.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Thread first = new Thread(() -> worker.handle(JobWorkerCancellationTest.request(job), () -> false));
            first.start();
            assertTrue(running.await(60, TimeUnit.SECONDS), "the first delivery never ran");
            // a concurrent slot takes the same request, published twice across a broker outage
            worker.handle(JobWorkerCancellationTest.request(job), () -> false);
            release.countDown();
            first.join(60_000);
        }
        assertEquals(1, runs.get(), "the job ran once");
        assertEquals(
                List.of(JobEventType.STARTED, JobEventType.SUCCEEDED),
                JobWorkerCancellationTest.events(job, JobEventType.SUCCEEDED).stream()
                        .filter(e -> e != JobEventType.HEARTBEAT)
                        .toList());
    }

    /** The job's events, read until {@code finals} final events came (or 30 s passed). */
    private static List<JobEventMessage> events(UUID job, int finals) throws Exception {
        List<JobEventMessage> out = new ArrayList<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(
                JobWorkerCancellationTest.settings.consumer("faults-" + UUID.randomUUID(), 500, 60_000))) {
            c.subscribe(List.of(Topics.JOB_EVENTS));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline
                    && out.stream().filter(JobWorkerFaultsTest::isFinal).count() < finals) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
                    JobEventMessage e = Json.mapper().readValue(r.value(), JobEventMessage.class);
                    if (job.equals(e.jobId())) {
                        out.add(e);
                    }
                }
            }
        }
        return out;
    }

    @Test
    void aJobHandedBackStopsAtItsNextStepAndReportsNothingFinal() throws Exception {
        UUID job = UUID.randomUUID();
        AtomicBoolean handBack = new AtomicBoolean();
        AtomicInteger steps = new AtomicInteger();
        try (FakeStorage storage = new FakeStorage();
                CancellationRegistry registry = registry()) {
            JobWorker worker = worker(storage, registry, policy(Duration.ofSeconds(60)), context -> {
                for (int step = 0; step < 1000; step++) {
                    context.checkCancelled();
                    if (steps.incrementAndGet() == 5) {
                        handBack.set(true); // SIGTERM, and the stop grace is over
                    }
                }
            });
            assertThrows(
                    JobHandedBackException.class,
                    () -> worker.handle(JobWorkerCancellationTest.request(job), handBack::get));
        }
        assertEquals(5, steps.get(), "stopped at the next step");
        List<JobEventType> events = JobWorkerCancellationTest.events(job, JobEventType.STARTED);
        Thread.sleep(1000);
        assertEquals(List.of(JobEventType.STARTED), events);
    }

    /** The last event of the job, read until a terminal one arrives. */
    private static JobEventMessage lastEvent(UUID job) throws Exception {
        List<JobEventMessage> out = new ArrayList<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(
                JobWorkerCancellationTest.settings.consumer("faults-" + UUID.randomUUID(), 500, 60_000))) {
            c.subscribe(List.of(Topics.JOB_EVENTS));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline && (out.isEmpty() || !isFinal(out.get(out.size() - 1)))) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
                    JobEventMessage e = Json.mapper().readValue(r.value(), JobEventMessage.class);
                    if (job.equals(e.jobId())) {
                        out.add(e);
                    }
                }
            }
        }
        return out.get(out.size() - 1);
    }

    private static boolean isFinal(JobEventMessage e) {
        return e.event() == JobEventType.FAILED
                || e.event() == JobEventType.SUCCEEDED
                || e.event() == JobEventType.CANCELLED;
    }
}
