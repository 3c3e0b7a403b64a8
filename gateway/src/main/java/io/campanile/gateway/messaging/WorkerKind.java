package io.campanile.gateway.messaging;

import io.campanile.contracts.Topics;
import java.util.List;

/**
 * A kind of worker as Kafka sees it: the topic it consumes and its consumer group, whose members are its replicas.
 *
 * @param kind the service's name (text-encoder, stage1-worker, stage2-worker, trainer)
 * @param topic the request topic its group consumes ({@link Topics#WORKER_TOPICS})
 * @param group its consumer group: each worker's application.properties sets {@code campanile.worker.group-id} to its
 *     service name
 */
public record WorkerKind(String kind, String topic, String group) {
    /** Every worker kind, in the order of a job's path (and of the dashboard's Workers page). */
    public static final List<WorkerKind> ALL = List.of(
            new WorkerKind("text-encoder", Topics.TEXT_ENCODE_REQUESTS, "text-encoder"),
            new WorkerKind("stage1-worker", Topics.STAGE1_REQUESTS, "stage1-worker"),
            new WorkerKind("stage2-worker", Topics.STAGE2_REQUESTS, "stage2-worker"),
            new WorkerKind("trainer", Topics.TRAINING_REQUESTS, "trainer"));

    /** The gateway's own consumer of job-events (its lag is how far job state trails the workers). */
    public static final WorkerKind GATEWAY = new WorkerKind("gateway", Topics.JOB_EVENTS, "gateway");
}
