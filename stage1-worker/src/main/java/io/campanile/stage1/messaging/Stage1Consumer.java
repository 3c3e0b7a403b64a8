package io.campanile.stage1.messaging;

import io.campanile.contracts.Topics;
import io.campanile.engine.packs.PackModels;
import io.campanile.platform.KafkaConfig;
import io.campanile.platform.Operation;
import io.campanile.platform.StorageClient;
import io.campanile.platform.WorkerConfig;
import io.campanile.platform.WorkerMetrics;
import io.campanile.platform.WorkerRuntime;
import io.campanile.stage1.service.AnagramOperation;
import io.campanile.stage1.service.BlurDenoiseOperation;
import io.campanile.stage1.service.ForwardOperation;
import io.campanile.stage1.service.HybridOperation;
import io.campanile.stage1.service.InpaintOperation;
import io.campanile.stage1.service.IterativeDenoiseOperation;
import io.campanile.stage1.service.OneStepDenoiseOperation;
import io.campanile.stage1.service.SampleOperation;
import io.campanile.stage1.service.SdEditOperation;
import io.campanile.stage1.service.Stage2Handoff;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;

/** Consumes stage1-requests in the stage1-worker group and runs each job's pipeline. */
@ApplicationScoped
public class Stage1Consumer {
    private final KafkaConfig kafka;
    private final WorkerConfig worker;
    private final StorageClient storage;
    private final PackModels packs;
    private final MeterRegistry registry;
    private WorkerRuntime runtime;

    @Inject
    Stage1Consumer(
            KafkaConfig kafka, WorkerConfig worker, StorageClient storage, PackModels packs, MeterRegistry registry) {
        this.kafka = kafka;
        this.worker = worker;
        this.storage = storage;
        this.packs = packs;
        this.registry = registry;
    }

    void start(@Observes StartupEvent ev) {
        runtime = new WorkerRuntime(
                kafka, worker, storage, Topics.STAGE1_REQUESTS, operations(packs), new WorkerMetrics(registry));
        runtime.start();
    }

    /** Every stage-I job type's operation (a type of stage1-requests without one fails the start). */
    public static List<Operation<?>> operations(PackModels packs) {
        Stage2Handoff handoff = new Stage2Handoff();
        return List.of(
                new ForwardOperation(packs),
                new BlurDenoiseOperation(packs),
                new OneStepDenoiseOperation(packs),
                new IterativeDenoiseOperation(packs, handoff),
                new SampleOperation(packs, handoff),
                new SdEditOperation(packs, handoff),
                new InpaintOperation(packs, handoff),
                new AnagramOperation(packs, handoff),
                new HybridOperation(packs, handoff));
    }

    void stop(@Observes ShutdownEvent ev) {
        if (runtime != null) {
            runtime.close();
        }
    }
}
