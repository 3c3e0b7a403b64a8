package io.campanile.platform;

import io.campanile.contracts.Topics;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Wires a worker service: topics, the job-control listener, the supervised consumer loop on the worker's request
 * topic, and the shared clients. One per service process; {@link #close()} on shutdown hands the job in hand back
 * when it does not finish within the stop grace.
 */
public final class WorkerRuntime implements AutoCloseable {
    /** The polling thread polls every 200 ms; a minute without a poll means it is stuck, whatever the job's length. */
    static final int MAX_POLL_INTERVAL_MS = 60_000;

    private final JsonProducer producer;
    private final CancellationRegistry cancellations;
    private final ConsumerLoop loop;
    private final JobWorker handler;

    /**
     * @param storage the service's storage client ({@link StorageClients}, with its token)
     * @param topic the request topic this worker consumes
     * @param operations the pipelines of every job type sent to the topic ({@link Operations#forTopic})
     */
    public WorkerRuntime(
            KafkaConfig kafka,
            WorkerConfig worker,
            StorageClient storage,
            String topic,
            List<Operation<?>> operations) {
        this(kafka, worker, storage, topic, operations, WorkerMetrics.none());
    }

    /** @param metrics the meters of the jobs' run and UNet times ({@code campanile_job_run_seconds}, ...) */
    public WorkerRuntime(
            KafkaConfig kafka,
            WorkerConfig worker,
            StorageClient storage,
            String topic,
            List<Operation<?>> operations,
            WorkerMetrics metrics) {
        if (!Topics.WORKER_TOPICS.contains(topic)) {
            throw new IllegalArgumentException("not a worker topic: " + topic);
        }
        Operations ops = Operations.forTopic(topic, operations); // a type without an operation fails the start
        rejectRemovedKeys();
        JobPolicy policy = worker.policy();
        JobInputs.keep((long) worker.embeddingCacheMb() << 20);
        kafka.topicAdmin().ensureTopics(kafka.bootstrapServers());
        String instance = worker.instance();
        KafkaSettings settings = kafka.settings(instance);
        this.producer = new JsonProducer(settings);
        this.cancellations = new CancellationRegistry(settings, instance);
        this.handler = new JobWorker(
                ops,
                new JobWorker.Services(
                        producer,
                        storage,
                        cancellations,
                        instance,
                        worker.progressIntervalMs() * 1_000_000,
                        topic,
                        policy,
                        new PreviewPolicy(worker.previewEvery(), worker.previewIntervalMs() * 1_000_000)),
                metrics);
        var props = worker.instanceId().isPresent()
                ? settings.staticConsumer(worker.groupId(), instance, 1, MAX_POLL_INTERVAL_MS)
                : settings.consumer(worker.groupId(), 1, MAX_POLL_INTERVAL_MS);
        this.loop = new ConsumerLoop(
                topic,
                props,
                List.of(topic),
                new RecordWork(handler, new DeadLetters(producer, instance), worker.maxAttempts(), 3),
                ConsumerLoop.Settings.concurrent(
                        Duration.ofSeconds(worker.stopGraceSeconds()), worker.concurrentJobs()));
    }

    /** A key that no longer exists fails the start, naming what replaced it, instead of being ignored. */
    private static void rejectRemovedKeys() {
        if (ConfigProvider.getConfig()
                .getOptionalValue("campanile.worker.max-job-minutes", String.class)
                .isPresent()) {
            throw new IllegalArgumentException("campanile.worker.max-job-minutes was removed: jobs run off the "
                    + "consumer's polling thread, so the group protocol no longer bounds them; the longest a job may "
                    + "run is campanile.worker.job-timeout-minutes");
        }
    }

    public void start() {
        cancellations.start();
        loop.start();
    }

    @Override
    public void close() {
        handler.stopping();
        loop.close();
        cancellations.close();
        producer.close();
    }
}
