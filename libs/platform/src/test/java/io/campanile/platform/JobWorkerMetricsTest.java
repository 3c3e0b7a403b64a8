package io.campanile.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.campanile.contracts.Topics;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A job run by a worker with meters, on a real broker and a storage stand-in: its UNet timings and its run reach the
 * registry; a failed job is not counted as a run.
 */
class JobWorkerMetricsTest {
    private static final String INSTANCE = "metrics-worker";

    @BeforeAll
    static void broker() {
        JobWorkerCancellationTest.broker();
    }

    private static void run(SimpleMeterRegistry meters, TestOperation op) throws Exception {
        try (FakeStorage storage = new FakeStorage();
                CancellationRegistry registry =
                        new CancellationRegistry(JobWorkerCancellationTest.settings, INSTANCE)) {
            registry.start();
            new JobWorker(
                            Operations.of(List.of(op)),
                            new JobWorker.Services(
                                    JobWorkerCancellationTest.producer,
                                    new StorageClient(storage.url()),
                                    registry,
                                    INSTANCE,
                                    0,
                                    Topics.STAGE1_REQUESTS,
                                    new JobPolicy(
                                            Duration.ofSeconds(30),
                                            3,
                                            Duration.ofSeconds(5),
                                            Duration.ofMinutes(10),
                                            Optional.empty())),
                            new WorkerMetrics(meters))
                    .handle(JobWorkerCancellationTest.request(UUID.randomUUID()), () -> false);
        }
    }

    @Test
    void aJobsUnetCallsAndItsRunAreTimed() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        run(meters, job -> {
            job.events().addTiming("unet", 3_000_000);
            job.events().addTiming("unet", 4_000_000);
        });
        Timer unet = meters.find("campanile.unet").tag("model", "IF-I-XL-v1.0").timer();
        assertEquals(2, unet.count());
        assertEquals(7, unet.totalTime(TimeUnit.MILLISECONDS), 1e-9);
        assertEquals(
                1,
                meters.find("campanile.job.run").tag("type", "forward").timer().count());
    }

    @Test
    void aFailedJobIsNotARun() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        run(meters, job -> {
            throw new JobFailedException("broken");
        });
        assertEquals(
                0,
                meters.find("campanile.job.run").tag("type", "forward").timer().count());
        assertNull(meters.find("campanile.unet").timer(), "no UNet call, no UNet series");
    }
}
