package io.campanile.stage1.messaging;

import io.campanile.contracts.JobType;
import io.campanile.contracts.Topics;
import io.campanile.platform.KafkaConfig;
import io.campanile.platform.StorageConfig;
import io.campanile.platform.WorkerConfig;
import io.campanile.platform.WorkerRuntime;
import io.campanile.stage1.service.BlurDenoiseOperation;
import io.campanile.stage1.service.ForwardOperation;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Map;

/** Consumes stage1-requests in the stage1-worker group and runs each job's pipeline. */
@ApplicationScoped
public class Stage1Consumer {
    @Inject
    KafkaConfig kafka;
    @Inject
    WorkerConfig worker;
    @Inject
    StorageConfig storage;
    private WorkerRuntime runtime;

    void start(@Observes StartupEvent ev) {
        runtime = new WorkerRuntime(kafka, worker, storage, Topics.STAGE1_REQUESTS, Map.of(
                JobType.FORWARD.wireName(), new ForwardOperation(),
                JobType.BLUR_DENOISE.wireName(), new BlurDenoiseOperation()));
        runtime.start();
    }

    void stop(@Observes ShutdownEvent ev) {
        if (runtime != null) {
            runtime.close();
        }
    }
}
