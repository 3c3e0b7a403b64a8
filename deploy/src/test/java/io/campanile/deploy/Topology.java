package io.campanile.deploy;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The shape of the system the deploy files must reproduce (docs/ARCHITECTURE, issue 7): which services exist, which
 * of them are public, run ONNX Runtime, or consume a worker topic. Names, ports, keys and topics themselves are read
 * from the code ({@link Codebase}).
 */
final class Topology {
    /** Every service, as Maven modules at the repository root. */
    static final List<String> SERVICES =
            List.of("gateway", "storage", "text-encoder", "stage1-worker", "stage2-worker", "trainer");

    /** The only service reachable from outside. */
    static final String PUBLIC = "gateway";

    /** Services that run ONNX Runtime: GPU images, a GPU each in the GPU deployments, model packs. */
    static final Set<String> ONNX = Set.of("text-encoder", "stage1-worker", "stage2-worker");

    /**
     * Services that run ONNX Runtime's CPU build only, on any image: the trainer samples its models on the exported
     * pack graph (docs/adr/0020) and trains on CPU.
     */
    static final Set<String> ONNX_CPU = Set.of("trainer");

    /** Workers to the constant in contracts' {@code Topics} naming the topic their consumer group reads. */
    static final Map<String, String> WORKER_TOPIC_CONSTANTS = Map.of(
            "text-encoder", "TEXT_ENCODE_REQUESTS",
            "stage1-worker", "STAGE1_REQUESTS",
            "stage2-worker", "STAGE2_REQUESTS",
            "trainer", "TRAINING_REQUESTS");

    /** Key of a worker's consumer group (each worker's application.properties sets it). */
    static final String GROUP_ID_KEY = "campanile.worker.group-id";

    /** Key of a worker's instance id; its default (the host name) must stay, or scaled replicas would share one. */
    static final String INSTANCE_ID_KEY = "campanile.worker.instance-id";

    /** Settings whose code defaults point at localhost: a deployment must set them where the service reads them. */
    static final List<String> MUST_BE_SET =
            List.of("campanile.kafka.bootstrap-servers", "campanile.storage.url", "campanile.onnx.execution-provider");

    /** Datasource settings a service with a JDBC driver must get. */
    static final List<String> DATASOURCE_KEYS =
            List.of("quarkus.datasource.jdbc.url", "quarkus.datasource.username", "quarkus.datasource.password");

    private Topology() {}

    static boolean isWorker(String service) {
        return WORKER_TOPIC_CONSTANTS.containsKey(service);
    }
}
