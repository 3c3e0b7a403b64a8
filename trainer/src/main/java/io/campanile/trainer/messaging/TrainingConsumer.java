package io.campanile.trainer.messaging;

import io.campanile.contracts.Topics;
import io.campanile.platform.KafkaConfig;
import io.campanile.platform.Operation;
import io.campanile.platform.StorageClient;
import io.campanile.platform.WorkerConfig;
import io.campanile.platform.WorkerMetrics;
import io.campanile.platform.WorkerRuntime;
import io.campanile.trainer.NativeBuild;
import io.campanile.trainer.config.TrainerConfig;
import io.campanile.trainer.mnist.MnistFiles;
import io.campanile.trainer.service.TrainOperation;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.List;

/** Consumes training-requests in the trainer group and runs {@code train} jobs. */
@ApplicationScoped
public class TrainingConsumer {
    private final KafkaConfig kafka;
    private final WorkerConfig worker;
    private final StorageClient storage;
    private final TrainerConfig trainer;
    private final MeterRegistry registry;
    private WorkerRuntime runtime;

    @Inject
    TrainingConsumer(
            KafkaConfig kafka,
            WorkerConfig worker,
            StorageClient storage,
            TrainerConfig trainer,
            MeterRegistry registry) {
        this.kafka = kafka;
        this.worker = worker;
        this.storage = storage;
        this.trainer = trainer;
        this.registry = registry;
    }

    void start(@Observes StartupEvent ev) {
        NativeBuild.select();
        runtime = new WorkerRuntime(
                kafka, worker, storage, Topics.TRAINING_REQUESTS, operations(trainer), new WorkerMetrics(registry));
        runtime.start();
    }

    /** The trainer's operations: every job type of training-requests (a type without one fails the start). */
    public static List<Operation<?>> operations(TrainerConfig trainer) {
        return List.of(new TrainOperation(
                new MnistFiles(Path.of(trainer.mnistDir()), trainer.mnistUrl().orElse(null)),
                trainer.packsDir().map(Path::of)));
    }

    void stop(@Observes ShutdownEvent ev) {
        if (runtime != null) {
            runtime.close();
        }
    }
}
