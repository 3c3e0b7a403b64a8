package io.campanile.textencoder.messaging;

import io.campanile.contracts.Topics;
import io.campanile.platform.KafkaConfig;
import io.campanile.platform.StorageConfig;
import io.campanile.platform.WorkerConfig;
import io.campanile.platform.WorkerRuntime;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Map;

/**
 * Consumes text-encode-requests in the text-encoder group. No job type is routed here yet: a request that arrives anyway is
 * dead-lettered and its job fails with the reason, rather than getting a made-up result.
 */
@ApplicationScoped
public class TextEncodeConsumer {
    @Inject
    KafkaConfig kafka;
    @Inject
    WorkerConfig worker;
    @Inject
    StorageConfig storage;
    private WorkerRuntime runtime;

    void start(@Observes StartupEvent ev) {
        runtime = new WorkerRuntime(kafka, worker, storage, Topics.TEXT_ENCODE_REQUESTS, Map.of());
        runtime.start();
    }

    void stop(@Observes ShutdownEvent ev) {
        if (runtime != null) {
            runtime.close();
        }
    }
}
