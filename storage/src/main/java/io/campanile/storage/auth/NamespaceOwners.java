package io.campanile.storage.auth;

import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Which services may bind refs in which namespace. Refs are write-once and their keys predictable (an embedding is
 * keyed by a hash of the pack and the prompt), so a bind by anyone else would poison the cache for ever: only the
 * namespace's writer binds there; any authenticated service may read. A namespace missing here has no owner, and
 * nobody may bind in it. In code rather than configuration: which service writes which namespace is a fact of the
 * code (a new writer is a code change, and so is its entry here).
 */
public final class NamespaceOwners {
    /** Namespace to the services that write it, with the writer in the code. */
    private static final Map<String, Set<String>> OWNERS = Map.of(
            // text-encoder EmbeddingCache: prompt embeddings, keyed by sha256(pack + prompt).
            "text-embeddings", Set.of("text-encoder"),
            // platform JobFiles, whose only writer is the trainer's JobSink (checkpoints, sampling GIFs); the
            // gateway only lists and reads them.
            "job-files", Set.of("trainer"));

    private NamespaceOwners() {}

    /** Whether {@code service} may bind a key in {@code namespace}. */
    public static boolean mayBind(String namespace, String service) {
        return OWNERS.getOrDefault(namespace, Set.of()).contains(service);
    }

    /** The owners of a namespace by name (empty when it has none), for messages. */
    public static SortedSet<String> owners(String namespace) {
        return new TreeSet<>(OWNERS.getOrDefault(namespace, Set.of()));
    }
}
