package io.campanile.platform;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Optional;

/** Settings of a worker service ({@code campanile.worker.*}); {@link #policy} checks them. */
@ConfigMapping(prefix = "campanile.worker")
public interface WorkerConfig {
    /** Consumer group: replicas of one worker kind share it, and so share the topic's partitions. */
    String groupId();

    /**
     * This replica's name in events and logs; the host name when unset. When set, it is also the replica's static
     * group membership ({@code group.instance.id}), so it must be unique among live replicas and stable across
     * restarts (the local stack's service names, a pod's name).
     */
    Optional<String> instanceId();

    /** Attempts for a record whose failure is retriable before it is dead-lettered (the text encoder's batches). */
    @WithDefault("5")
    int maxAttempts();

    /** The longest one job may run; past it, the job is stopped at its next step and FAILED, in minutes. */
    @WithDefault("360")
    int jobTimeoutMinutes();

    /** Least time between two progress events of a job, in milliseconds. */
    @WithDefault("250")
    long progressIntervalMs();

    /**
     * A live preview (a small PNG of the current x0-hat of the job's first image) every this many denoising steps;
     * 0 turns previews off.
     */
    @WithDefault("5")
    int previewEvery();

    /** Least time between two previews of a job, in milliseconds: at most 2 per second by default. */
    @WithDefault("500")
    long previewIntervalMs();

    /** A running job's lease: the worker renews it every third of this; the gateway acts when it lapses. Seconds. */
    @WithDefault("30")
    int leaseSeconds();

    /** A job started this many times without finishing (its worker died each time) is FAILED at its next delivery. */
    @WithDefault("3")
    int maxStarts();

    /**
     * How long a job waits out an outage of storage or the broker (its outputs kept in memory meanwhile) before it
     * FAILS with the reason, in seconds.
     */
    @WithDefault("600")
    int outageSeconds();

    /** On SIGTERM, how long the job in hand may take to finish before it stops and is handed back, in seconds. */
    @WithDefault("10")
    int stopGraceSeconds();

    /**
     * How many jobs this replica runs at once, each on its own thread. Above 1, the denoising steps of concurrent
     * jobs on one pack run as one batch ({@code campanile.onnx.batch-*}, ADR 0022): a job joins the batch at its next
     * step and leaves when it ends. The gateway's lane window must let that many in flight
     * ({@code campanile.gateway.dispatch.per-member}).
     */
    @WithDefault("1")
    int concurrentJobs();

    /** Prompt embeddings kept in memory, in MiB, so that a prompt used before is not read from storage again. */
    @WithDefault("64")
    int embeddingCacheMb();

    /** Tests only: a job on this pack halts the worker's JVM when it starts (the chaos suite's poison job). */
    Optional<String> chaosHaltModel();

    /** The instance id, defaulted to the host name. */
    default String instance() {
        return instanceId().orElseGet(() -> {
            String host = System.getenv("HOSTNAME");
            if (host == null || host.isBlank()) {
                try {
                    host = InetAddress.getLocalHost().getHostName();
                } catch (UnknownHostException e) {
                    host = "worker";
                }
            }
            return groupId() + "@" + host + "#" + ProcessHandle.current().pid();
        });
    }

    /** The job policy of these settings; a value out of range fails the start naming its key. */
    default JobPolicy policy() {
        atLeast("campanile.worker.job-timeout-minutes", jobTimeoutMinutes(), 1);
        atLeast("campanile.worker.lease-seconds", leaseSeconds(), 3);
        atLeast("campanile.worker.max-starts", maxStarts(), 1);
        atLeast("campanile.worker.outage-seconds", outageSeconds(), 1);
        atLeast("campanile.worker.stop-grace-seconds", stopGraceSeconds(), 0);
        atLeast("campanile.worker.max-attempts", maxAttempts(), 1);
        atLeast("campanile.worker.preview-every", previewEvery(), 0);
        atLeast("campanile.worker.preview-interval-ms", previewIntervalMs(), 0);
        atLeast("campanile.worker.concurrent-jobs", concurrentJobs(), 1);
        atLeast("campanile.worker.embedding-cache-mb", embeddingCacheMb(), 0);
        return new JobPolicy(
                Duration.ofSeconds(leaseSeconds()),
                maxStarts(),
                Duration.ofSeconds(outageSeconds()),
                Duration.ofMinutes(jobTimeoutMinutes()),
                chaosHaltModel());
    }

    private static void atLeast(String key, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException(key + " must be at least " + min + ", was " + value);
        }
    }
}
