package io.campanile.platform;

import io.campanile.contracts.Topics;
import java.util.List;
import java.util.Map;

/**
 * Wires a worker service: topics, the job-control listener, the consumer loop on the worker's request topic, and
 * the shared clients. One per service process; {@link #close()} on shutdown.
 */
public final class WorkerRuntime implements AutoCloseable {
    private final JsonProducer producer;
    private final CancellationRegistry cancellations;
    private final ConsumerLoop loop;

    /**
     * @param topic the request topic this worker consumes
     * @param operations pipelines by job type wire name (may be empty for a service still to be filled in)
     */
    public WorkerRuntime(KafkaConfig kafka, WorkerConfig worker, StorageConfig storage, String topic,
            Map<String, JobWorker.Operation> operations) {
        if (!Topics.WORKER_TOPICS.contains(topic)) {
            throw new IllegalArgumentException("not a worker topic: " + topic);
        }
        kafka.topicAdmin().ensureTopics(kafka.bootstrapServers());
        String instance = worker.instance();
        KafkaSettings settings = kafka.settings(instance);
        this.producer = new JsonProducer(settings);
        this.cancellations = new CancellationRegistry(settings, instance);
        JobWorker handler = new JobWorker(operations, new JobWorker.Services(producer,
                new StorageClient(storage.url()), cancellations, instance, worker.progressIntervalMs() * 1_000_000));
        int maxPollMs = (int) Math.min(Integer.MAX_VALUE, worker.maxJobMinutes() * 60_000L);
        this.loop = new ConsumerLoop(topic, settings.consumer(worker.groupId(), 1, maxPollMs), List.of(topic),
                handler, new DeadLetters(producer, instance), worker.maxAttempts());
    }

    public void start() {
        cancellations.start();
        loop.start();
    }

    @Override
    public void close() {
        loop.close();
        cancellations.close();
        producer.close();
    }
}
