package io.campanile.textencoder.messaging;

import io.campanile.contracts.Topics;
import io.campanile.onnx.OnnxConfig;
import io.campanile.packs.PacksConfig;
import io.campanile.platform.CancellationRegistry;
import io.campanile.platform.ConsumerLoop;
import io.campanile.platform.DeadLetters;
import io.campanile.platform.JobPolicy;
import io.campanile.platform.JsonProducer;
import io.campanile.platform.KafkaConfig;
import io.campanile.platform.KafkaSettings;
import io.campanile.platform.StorageClient;
import io.campanile.platform.WorkerConfig;
import io.campanile.textencoder.config.TextEncoderConfig;
import io.campanile.textencoder.inference.EncoderPacks;
import io.campanile.textencoder.service.EmbeddingBatcher;
import io.campanile.textencoder.service.EmbeddingCache;
import io.campanile.textencoder.service.TextEncodeService;
import io.campanile.textencoder.service.TextEncoderMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

/**
 * Consumes text-encode-requests in the text-encoder group: up to {@code campanile.text-encoder.max-batch} jobs at a
 * time, whose prompts are encoded together, then forwarded to their workers.
 */
@ApplicationScoped
public class TextEncodeConsumer {
    private final KafkaConfig kafka;
    private final WorkerConfig worker;
    private final StorageClient storage;
    private final PacksConfig packs;
    private final OnnxConfig onnx;
    private final TextEncoderConfig config;
    private final MeterRegistry registry;

    private JsonProducer producer;
    private CancellationRegistry cancellations;
    private EncoderPacks encoders;
    /** The polling thread polls every 200 ms; batches run off it, so a minute without a poll means it is stuck. */
    private static final int MAX_POLL_INTERVAL_MS = 60_000;

    private ConsumerLoop loop;

    @Inject
    TextEncodeConsumer(
            KafkaConfig kafka,
            WorkerConfig worker,
            StorageClient storage,
            PacksConfig packs,
            OnnxConfig onnx,
            TextEncoderConfig config,
            MeterRegistry registry) {
        this.kafka = kafka;
        this.worker = worker;
        this.storage = storage;
        this.packs = packs;
        this.onnx = onnx;
        this.config = config;
        this.registry = registry;
    }

    void start(@Observes StartupEvent ev) {
        config.validate();
        kafka.topicAdmin().ensureTopics(kafka.bootstrapServers());
        String instance = worker.instance();
        KafkaSettings settings = kafka.settings(instance);
        producer = new JsonProducer(settings);
        cancellations = new CancellationRegistry(settings, instance);
        encoders = new EncoderPacks(Path.of(packs.dir()), onnx.options());
        EmbeddingCache cache = new EmbeddingCache(storage, config.cacheEntries());
        EmbeddingBatcher batcher =
                new EmbeddingBatcher(cache, encoders::encoder, new TextEncoderMetrics(registry), config.maxBatch());
        TextEncodeService service = new TextEncodeService(encoders::find, config.pack(), batcher);
        JobPolicy policy = worker.policy();
        TextEncodeHandler handler = new TextEncodeHandler(
                service,
                new TextEncodeHandler.Services(
                        producer,
                        new DeadLetters(producer, instance),
                        cancellations,
                        instance,
                        worker.maxAttempts(),
                        storage,
                        policy.maxStarts()));
        Properties props = worker.instanceId().isPresent()
                ? settings.staticConsumer(worker.groupId(), instance, config.maxBatch(), MAX_POLL_INTERVAL_MS)
                : settings.consumer(worker.groupId(), config.maxBatch(), MAX_POLL_INTERVAL_MS);
        loop = new ConsumerLoop(
                Topics.TEXT_ENCODE_REQUESTS,
                props,
                List.of(Topics.TEXT_ENCODE_REQUESTS),
                handler,
                new ConsumerLoop.Settings(
                        Duration.ofSeconds(worker.stopGraceSeconds()),
                        Duration.ofSeconds(60),
                        config.maxBatch(),
                        Duration.ofMillis(config.maxWaitMs())));
        cancellations.start();
        loop.start();
    }

    void stop(@Observes ShutdownEvent ev) {
        if (loop != null) {
            loop.close();
        }
        if (cancellations != null) {
            cancellations.close();
        }
        if (encoders != null) {
            encoders.close();
        }
        if (producer != null) {
            producer.close();
        }
    }
}
