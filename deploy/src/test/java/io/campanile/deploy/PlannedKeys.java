package io.campanile.deploy;

import java.util.Map;
import java.util.Set;

/**
 * Planned keys, issue 3/6: settings the deploy files already pass to services whose code does not read them yet.
 * This is the ONE allow-list of the deploy checks; every other name in a deploy file must be a key the service's code
 * declares ({@code @ConfigMapping}, {@code @ConfigProperty}; application.properties only for keys outside
 * {@code campanile.*} and the mappings' prefixes), or a test fails.
 *
 * <p>Shrink it as the keys land: {@code PlannedKeysTest} fails for an entry whose key the service now declares, so a
 * stale entry cannot hide a later rename.
 */
final class PlannedKeys {
    /**
     * Service to keys its code will read. Empty: text-encoder, stage1-worker and stage2-worker read campanile.onnx.*
     * since issues 3, 4 and 5, the trainer its MNIST keys since issue 6.
     */
    static final Map<String, Set<String>> KEYS = Map.of();

    private PlannedKeys() {}

    static Set<String> keys(String service) {
        return KEYS.getOrDefault(service, Set.of());
    }
}
