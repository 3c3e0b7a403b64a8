package io.campanile.stage1.messaging;

import io.campanile.contracts.JobType;
import io.campanile.contracts.Topics;
import io.campanile.engine.PackModels;
import io.campanile.platform.KafkaConfig;
import io.campanile.platform.StorageConfig;
import io.campanile.platform.WorkerConfig;
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
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Map;

/** Consumes stage1-requests in the stage1-worker group and runs each job's pipeline. */
@ApplicationScoped
public class Stage1Consumer {
    private final KafkaConfig kafka;
    private final WorkerConfig worker;
    private final StorageConfig storage;
    private final PackModels packs;
    private WorkerRuntime runtime;

    @Inject
    Stage1Consumer(KafkaConfig kafka, WorkerConfig worker, StorageConfig storage, PackModels packs) {
        this.kafka = kafka;
        this.worker = worker;
        this.storage = storage;
        this.packs = packs;
    }

    void start(@Observes StartupEvent ev) {
        Stage2Handoff handoff = new Stage2Handoff();
        runtime = new WorkerRuntime(kafka, worker, storage, Topics.STAGE1_REQUESTS, Map.of(
                JobType.FORWARD.wireName(), new ForwardOperation(packs),
                JobType.BLUR_DENOISE.wireName(), new BlurDenoiseOperation(packs),
                JobType.ONE_STEP_DENOISE.wireName(), new OneStepDenoiseOperation(packs),
                JobType.ITERATIVE_DENOISE.wireName(), new IterativeDenoiseOperation(packs, handoff),
                JobType.SAMPLE.wireName(), new SampleOperation(packs, handoff),
                JobType.SDEDIT.wireName(), new SdEditOperation(packs, handoff),
                JobType.INPAINT.wireName(), new InpaintOperation(packs, handoff),
                JobType.ANAGRAM.wireName(), new AnagramOperation(packs, handoff),
                JobType.HYBRID.wireName(), new HybridOperation(packs, handoff)));
        runtime.start();
    }

    void stop(@Observes ShutdownEvent ev) {
        if (runtime != null) {
            runtime.close();
        }
    }
}
