package io.campanile.contracts;

import java.util.List;

/** Kafka topic names. Every message is keyed by its job id, so one job's messages stay in order. */
public final class Topics {
    /** Text-conditioned jobs, on their way to the T5 encoder. */
    public static final String TEXT_ENCODE_REQUESTS = "text-encode-requests";
    /** Jobs for the pixel-space DDPM engine (64 px stage I and trained packs). */
    public static final String STAGE1_REQUESTS = "stage1-requests";
    /** Jobs for IF stage II super-resolution. */
    public static final String STAGE2_REQUESTS = "stage2-requests";
    /** MNIST training jobs. */
    public static final String TRAINING_REQUESTS = "training-requests";
    /** Progress, outputs and terminal states reported by every worker; consumed by the gateway. */
    public static final String JOB_EVENTS = "job-events";
    /**
     * The gateway to all its replicas: "job J changed, now at version V", written through the outbox by the
     * transaction that made the change; every replica reads it (its own group) to push live streams (ADR 0013).
     */
    public static final String JOB_UPDATES = "job-updates";
    /** Messages that could not be processed, with the reason. */
    public static final String DEAD_LETTERS = "dead-letters";
    /** Cancellations broadcast to every worker (compacted, keyed by job id). */
    public static final String JOB_CONTROL = "job-control";

    /** Topics that workers consume in consumer groups; their partition count bounds the replicas. */
    public static final List<String> WORKER_TOPICS =
            List.of(TEXT_ENCODE_REQUESTS, STAGE1_REQUESTS, STAGE2_REQUESTS, TRAINING_REQUESTS);

    private Topics() {}
}
