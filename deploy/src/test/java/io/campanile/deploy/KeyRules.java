package io.campanile.deploy;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Whether an environment variable a deploy file gives a service is one of the service's configuration keys.
 *
 * <p>Accepted: a key the code declares; one of the Quarkus keys below that the deploy files use ({@link #QUARKUS_KEYS},
 * and the datasource keys only for services with a JDBC driver); a planned key ({@link PlannedKeys}); and the few
 * runtime variables below that are not configuration. Anything else is drift: a renamed key, a typo, or a setting
 * given to the wrong service, all of which Quarkus would silently ignore.
 */
final class KeyRules {
    /** Variables read by the image or the runtime, not by Quarkus configuration. */
    static final Set<String> RUNTIME_VARIABLES =
            Set.of("JAVA_OPTS", "JAVA_OPTS_APPEND", "JAVA_TOOL_OPTIONS", "OMP_WAIT_POLICY", "TZ");

    /**
     * Quarkus' own keys that the deploy files set and no application.properties declares, each checked against the
     * Quarkus configuration reference (a whole prefix would let a typo such as QUARKUS_HTTP_BODY_UPLOAD_DIRECTORY
     * through). Add a key here when a deploy file starts to use one; {@code ConfigScannerTest} fails for a key no
     * deploy file uses.
     */
    static final Set<String> QUARKUS_KEYS = Set.of("quarkus.http.body.uploads-directory");

    /** Quarkus' datasource keys, for services with a JDBC driver ({@link Topology#DATASOURCE_KEYS}). */
    static final List<String> DATASOURCE_KEYS = Topology.DATASOURCE_KEYS;

    private static final String DATASOURCE_ENV_PREFIX = "QUARKUS_DATASOURCE_";

    private KeyRules() {}

    /** Empty when {@code envName} is fine for the service; otherwise why not. */
    static Optional<String> check(Service service, String envName) {
        if (RUNTIME_VARIABLES.contains(envName) || keyOf(service, envName).isPresent()) {
            return Optional.empty();
        }
        if (envName.startsWith(DATASOURCE_ENV_PREFIX) && !service.datasource()) {
            return Optional.of(envName + " is given to " + service.name() + ", which has no datasource");
        }
        String close = service.keys().keys().stream()
                .map(KeySet.EnvNames::of)
                .filter(e -> e.startsWith(envName.substring(0, Math.min(envName.length(), prefixLength(envName)))))
                .sorted()
                .collect(Collectors.joining(", "));
        return Optional.of(envName + " maps to no configuration key of " + service.name()
                + (close.isEmpty() ? "" : " (it reads " + close + ")"));
    }

    /** The key an environment variable sets for the service, when it sets one (declared, known Quarkus, planned). */
    static Optional<String> keyOf(Service service, String envName) {
        Optional<String> declared = service.keys().keyForEnv(envName);
        if (declared.isPresent()) {
            return declared;
        }
        for (String key : service.plannedKeys()) {
            if (KeySet.EnvNames.of(key).equals(envName)) {
                return Optional.of(key);
            }
        }
        for (String key : QUARKUS_KEYS) {
            if (KeySet.EnvNames.of(key).equals(envName)) {
                return Optional.of(key);
            }
        }
        if (service.datasource()) {
            for (String key : DATASOURCE_KEYS) {
                if (KeySet.EnvNames.of(key).equals(envName)) {
                    return Optional.of(key);
                }
            }
        }
        return Optional.empty();
    }

    /** The environment variable name of a key. */
    static String env(String key) {
        return KeySet.EnvNames.of(key);
    }

    private static int prefixLength(String envName) {
        int second = envName.indexOf('_', envName.indexOf('_') + 1);
        return second < 0 ? envName.length() : second + 1;
    }
}
