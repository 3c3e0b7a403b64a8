package io.campanile.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Gateway settings ({@code campanile.gateway.*}). */
@ConfigMapping(prefix = "campanile.gateway")
public interface GatewayConfig {
    /** Largest accepted image or mask, in bytes after base64 decoding; checked before decoding. */
    @WithDefault("16777216")
    long maxImageBytes();

    /** Largest accepted image or mask in pixels (width x height), read from the header before decoding. */
    @WithDefault("16777216")
    long maxImagePixels();

    /** The model pack a job runs on when the request names none (packs are listed by {@code GET /v1/models}). */
    @WithDefault("IF-I-XL-v1.0")
    String defaultModel();

    /** Largest page of {@code GET /v1/jobs}. */
    @WithDefault("100")
    int maxPageSize();

    /**
     * How often the {@code campanile_jobs} gauges are recounted (one grouped query), not per scrape: a scheduler
     * duration such as {@code 15s}. Read by {@code GatewayMetrics}' schedule; declared here so that it is documented
     * with every other setting.
     */
    @WithDefault("15s")
    String metricsInterval();

    /** How often the lease reaper looks for lost and stalled jobs, in seconds (1 or more). */
    @WithDefault("5")
    int reaperIntervalSeconds();

    /**
     * How long a RUNNING job's lease may stay lapsed before the job fails as "worker lost", in seconds (1 or more):
     * the bound within which a replica must resume a job whose worker stopped renewing its lease. Past it the job is
     * failed and its cancellation broadcast, so a replica that receives the job later skips it. Workers write the
     * lease by their own clocks: the grace also absorbs their skew against the gateway's.
     */
    @WithDefault("120")
    int leaseGraceSeconds();

    /**
     * How long a job may wait in a queue without a worker starting it, in minutes (1 or more): a QUEUED job since it
     * was created, a RUNNING job without a lease (handed to the next stage's queue) since its last change. Past it
     * the job fails as "not started".
     */
    @WithDefault("1440")
    int queueTimeoutMinutes();

    /** Per-tenant quotas and limits ({@code campanile.gateway.limits.*}). */
    LimitsConfig limits();

    /** Fair-share dispatch ({@code campanile.gateway.dispatch.*}). */
    DispatchConfig dispatch();

    /**
     * An admin API key the gateway makes sure exists at startup (name "bootstrap", tenant "default"): how the local
     * stack and a fresh deployment get their first key. Set by {@code CAMPANILE_BOOTSTRAP_ADMIN_KEY}. A bootstrap key
     * that was revoked stays revoked.
     */
    Optional<String> bootstrapAdminKey();

    /** API keys ({@code campanile.gateway.auth.*}). */
    Auth auth();

    /** Settings of API key checks. */
    interface Auth {
        /**
         * How long a verified (or unknown) key is remembered, in seconds: a revoked key stops authenticating on
         * every replica within this time (at once on the replica that revoked it). 0 asks the database every time.
         */
        @WithDefault("5")
        int keyCacheSeconds();

        /** Lifetime of the dashboard's session cookie, in seconds (the dashboard renews it from the stored key). */
        @WithDefault("43200")
        int sessionSeconds();
    }

    /** Server-Sent Events ({@code campanile.gateway.sse.*}). */
    Sse sse();

    /** Settings of the event streams. */
    interface Sse {
        /**
         * The most event streams ({@code /v1/jobs/{id}/events} and {@code /v1/events} together) this replica keeps
         * open; one more is answered 503, naming this limit.
         */
        @WithDefault("256")
        int maxStreams();

        /** Events kept per job for clients that resume with {@code Last-Event-ID} (previews: the latest only). */
        @WithDefault("200")
        int bufferedEvents();

        /** Jobs whose buffered events and latest preview this replica keeps in memory (least recently used go). */
        @WithDefault("500")
        int bufferedJobs();
    }

    /** Retention of finished jobs and of the event bookkeeping ({@code campanile.gateway.retention.*}). */
    Retention retention();

    /**
     * How long things are kept. Durations take ISO-8601 ({@code P30D}) or Quarkus' short form ({@code 30d}); the
     * defaults are written in ISO-8601, which every config source reads.
     */
    interface Retention {
        /** A finished job (and its outputs, files and inputs) is deleted this long after it finished. */
        @WithDefault("P30D")
        Duration finishedJobs();

        /**
         * Ids of applied job events are kept this long: well past the window in which Kafka redelivers an event
         * (the records after the gateway's last committed offset). An older duplicate finds its job finished or gone.
         */
        @WithDefault("P7D")
        Duration processedEvents();

        /** How often the retention sweep runs. */
        @WithDefault("PT1M")
        Duration interval();
    }

    /**
     * The lease reaper's settings, validated.
     *
     * @throws IllegalArgumentException naming the key of a value out of range
     */
    default ReaperSettings reaper() {
        return new ReaperSettings(reaperIntervalSeconds(), leaseGraceSeconds(), queueTimeoutMinutes());
    }

    /**
     * The retention sweep's settings, validated.
     *
     * @throws IllegalArgumentException naming the key of a value out of range
     */
    default RetentionSettings retentionSettings() {
        Retention r = retention();
        return new RetentionSettings(r.finishedJobs(), r.processedEvents(), r.interval());
    }
}
