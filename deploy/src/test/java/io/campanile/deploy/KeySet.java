package io.campanile.deploy;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Configuration keys a service reads: exact keys ({@code campanile.kafka.bootstrap-servers}) and key prefixes that
 * stand for map entries ({@code campanile.x.headers.}), with the defaults the code declares.
 */
final class KeySet {
    private final Set<String> exact = new TreeSet<>();
    private final Set<String> prefixes = new TreeSet<>();
    private final Set<String> mappingPrefixes = new TreeSet<>();
    private final Map<String, String> defaults = new TreeMap<>();

    void add(String key) {
        exact.add(key);
    }

    void addDefault(String key, String value) {
        defaults.put(key, value);
    }

    /** Every key that starts with {@code prefix} (which ends with a dot) is read, e.g. a {@code Map} mapping. */
    void addPrefix(String prefix) {
        prefixes.add(prefix);
    }

    /** {@code prefix} (no trailing dot) is a {@code @ConfigMapping} prefix: the mapping owns every key below it. */
    void addMappingPrefix(String prefix) {
        mappingPrefixes.add(prefix);
    }

    void addAll(KeySet other) {
        exact.addAll(other.exact);
        prefixes.addAll(other.prefixes);
        mappingPrefixes.addAll(other.mappingPrefixes);
        defaults.putAll(other.defaults);
    }

    /** Whether a {@code @ConfigMapping} prefix covers {@code key}, so that only the mapping can declare it. */
    boolean coveredByMapping(String key) {
        return mappingPrefixes.stream().anyMatch(p -> key.startsWith(p + "."));
    }

    Set<String> keys() {
        return Collections.unmodifiableSet(exact);
    }

    Set<String> prefixes() {
        return Collections.unmodifiableSet(prefixes);
    }

    boolean contains(String key) {
        return exact.contains(key) || prefixes.stream().anyMatch(key::startsWith);
    }

    /** The default the code declares for a key ({@code @WithDefault}), if any. */
    Optional<String> defaultOf(String key) {
        return Optional.ofNullable(defaults.get(key));
    }

    /** The key an environment variable sets, if it sets one of these (compared in the lossy environment form). */
    Optional<String> keyForEnv(String envName) {
        for (String key : exact) {
            if (EnvNames.of(key).equals(envName)) {
                return Optional.of(key);
            }
        }
        for (String prefix : prefixes) {
            if (envName.startsWith(EnvNames.of(prefix))) {
                return Optional.of(prefix + "*");
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return exact + (prefixes.isEmpty() ? "" : " + " + prefixes + "*");
    }

    /** How Quarkus (SmallRye Config's environment source) names a key as an environment variable. */
    static final class EnvNames {
        private EnvNames() {}

        /** Upper case, every character that is not a letter or digit replaced by {@code _}. */
        static String of(String key) {
            StringBuilder sb = new StringBuilder(key.length());
            for (char c : key.toCharArray()) {
                sb.append(Character.isLetterOrDigit(c) ? Character.toUpperCase(c) : '_');
            }
            return sb.toString();
        }
    }
}
