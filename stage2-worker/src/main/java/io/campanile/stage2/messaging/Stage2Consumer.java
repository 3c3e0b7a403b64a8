package io.campanile.stage2.messaging;

import io.campanile.contracts.Topics;
import io.campanile.engine.packs.PackModels;
import io.campanile.platform.KafkaConfig;
import io.campanile.platform.Operation;
import io.campanile.platform.StorageClient;
import io.campanile.platform.WorkerConfig;
import io.campanile.platform.WorkerMetrics;
import io.campanile.platform.WorkerRuntime;
import io.campanile.stage2.service.UpscaleOperation;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;

/**
 * Consumes stage2-requests in the stage2-worker group and runs IF stage II on each {@code upscale} job: standalone
 * uploads (after the text encoder added their embeddings) and stage-I jobs handed on with {@code upscale: true}.
 */
@ApplicationScoped
public class Stage2Consumer {
    private final KafkaConfig kafka;
    private final WorkerConfig worker;
    private final StorageClient storage;
    private final PackModels packs;
    private final MeterRegistry registry;
    private WorkerRuntime runtime;

    @Inject
    Stage2Consumer(
            KafkaConfig kafka, WorkerConfig worker, StorageClient storage, PackModels packs, MeterRegistry registry) {
        this.kafka = kafka;
        this.worker = worker;
        this.storage = storage;
        this.packs = packs;
        this.registry = registry;
    }

    void start(@Observes StartupEvent ev) {
        runtime = new WorkerRuntime(
                kafka, worker, storage, Topics.STAGE2_REQUESTS, operations(packs), new WorkerMetrics(registry));
        runtime.start();
    }

    /** Stage II's operations: every job type of stage2-requests (a type without one fails the start). */
    public static List<Operation<?>> operations(PackModels packs) {
        return List.of(new UpscaleOperation(packs));
    }

    void stop(@Observes ShutdownEvent ev) {
        if (runtime != null) {
            runtime.close();
        }
    }
}
