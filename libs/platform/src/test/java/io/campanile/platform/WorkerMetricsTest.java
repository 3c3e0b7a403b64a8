package io.campanile.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A job's timings feed the worker's meters: every UNet call per model, the run per job type. */
class WorkerMetricsTest {
    @Test
    void unetCallsAndRunsAreTimedByModelAndType() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        WorkerMetrics metrics = new WorkerMetrics(registry);
        WorkerMetrics.JobMeters job = metrics.forJob("sample", "IF-I-XL-v1.0");
        job.timing("unet", 5_000_000);
        job.timing("unet", 7_000_000);
        job.timing("noise", 1_000_000);
        job.ran(2_000_000_000L);
        metrics.forJob("sample", "other").ran(1_000_000_000L);

        Timer unet =
                registry.find("campanile.unet").tag("model", "IF-I-XL-v1.0").timer();
        assertEquals(2, unet.count());
        assertEquals(12, unet.totalTime(TimeUnit.MILLISECONDS), 1e-9);
        Timer run = registry.find("campanile.job.run").tag("type", "sample").timer();
        assertEquals(2, run.count(), "one timer per job type, whatever the model");
        assertEquals(3, run.totalTime(TimeUnit.SECONDS), 1e-9);
        assertNull(registry.find("campanile.unet").tag("model", "other").timer(), "no UNet call, no UNet series");
    }

    @Test
    void withoutARegistryNothingIsRecorded() {
        WorkerMetrics.JobMeters job = WorkerMetrics.none().forJob("train", null);
        job.timing("unet", 1);
        job.ran(1);
    }
}
