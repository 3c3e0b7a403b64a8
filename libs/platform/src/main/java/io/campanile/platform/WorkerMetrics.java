package io.campanile.platform;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * A worker's job meters, in Prometheus form at {@code /q/metrics} of the service that passes its registry:
 * {@code campanile_job_run_seconds{type}} (one job's run on this worker, from its start to SUCCEEDED or its hand-off
 * to the next stage; failed, cancelled and handed-back runs are not counted) and {@code campanile_unet_seconds{model}}
 * (one job's UNet call for a step, from the job's {@code unet} timing: with concurrent jobs, as long as the job
 * waited for the merged call). Micrometer's core API only: the services register it with the
 * registry their framework gives them.
 */
public final class WorkerMetrics {
    /** Meters of one job: its type and model are resolved once, so a UNet call costs one timer update. */
    public interface JobMeters {
        /** The job spent {@code nanos} in {@code what} ({@link JobEvents#addTiming}). */
        void timing(String what, long nanos);

        /** The job ran to its end on this worker in {@code nanos}. */
        void ran(long nanos);
    }

    private static final JobMeters NONE = new JobMeters() {
        @Override
        public void timing(String what, long nanos) {}

        @Override
        public void ran(long nanos) {}
    };

    private final MeterRegistry registry;

    /** @param registry where the meters go; null for none */
    public WorkerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** No meters: the library's own tests and tools. */
    public static WorkerMetrics none() {
        return new WorkerMetrics(null);
    }

    /** The meters of a job of this type on this model (model may be null: a job type without a pack). */
    public JobMeters forJob(String type, String model) {
        if (registry == null) {
            return NONE;
        }
        Timer run = Timer.builder("campanile.job.run")
                .description("One job's run on a worker, from its start to its success or hand-off")
                .tag("type", type)
                .serviceLevelObjectives(s(1), s(5), s(15), s(30), s(60), s(120), s(300), s(900), s(3600))
                .register(registry);
        return new JobMeters() {
            /** Registered on the first call: a job type without a UNet shows no UNet series. */
            private Timer unet;

            @Override
            public void timing(String what, long nanos) {
                if ("unet".equals(what)) {
                    if (unet == null) {
                        unet = unetTimer(model);
                    }
                    unet.record(Duration.ofNanos(nanos));
                }
            }

            @Override
            public void ran(long nanos) {
                run.record(Duration.ofNanos(nanos));
            }
        };
    }

    private Timer unetTimer(String model) {
        return Timer.builder("campanile.unet")
                .description("One job's UNet call for a step, as the job waits for it: with concurrent jobs, the wait"
                        + " for the merged call and its run with the other jobs' rows")
                .tag("model", model == null ? "none" : model)
                .serviceLevelObjectives(ms(10), ms(50), ms(100), ms(250), ms(500), ms(1000), ms(2500), ms(10_000))
                .register(registry);
    }

    private static Duration s(long seconds) {
        return Duration.ofSeconds(seconds);
    }

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }
}
