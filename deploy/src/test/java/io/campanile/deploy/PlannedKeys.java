package io.campanile.deploy;

import java.util.Map;
import java.util.Set;

/**
 * Planned keys, issue 3/6: settings the deploy files already pass to services whose code does not read them yet.
 * This is the ONE allow-list of the deploy checks; every other name in a deploy file must be a key the service's code
 * declares (application.properties, {@code @ConfigMapping}, {@code @ConfigProperty}), or a test fails.
 *
 * <p>Shrink it as the keys land: {@code PlannedKeysTest} fails for an entry whose key the service now declares, so a
 * stale entry cannot hide a later rename.
 */
final class PlannedKeys {
    private static final Set<String> ONNX_WORKER = Set.of(
            "campanile.onnx.execution-provider",   // cpu | cuda
            "campanile.onnx.device-id",            // CUDA device index seen by the container
            "campanile.onnx.intra-op-threads");    // ONNX Runtime intra-op thread pool size

    /** Service to keys its code will read (text-encoder and stage1-worker read campanile.onnx.* since issues 3 and 4). */
    static final Map<String, Set<String>> KEYS = Map.of(
            "stage2-worker", ONNX_WORKER);

    private PlannedKeys() {
    }

    static Set<String> keys(String service) {
        return KEYS.getOrDefault(service, Set.of());
    }
}
