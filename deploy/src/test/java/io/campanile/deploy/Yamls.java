package io.campanile.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * YAML reading for compose files and manifests: duplicate keys are errors (a second {@code environment} entry silently
 * wins otherwise), merge keys and anchors resolve, and application tags such as Compose's {@code !reset} read as their
 * plain value.
 */
final class Yamls {
    private Yamls() {}

    /** Every document of a file, in order; empty documents are dropped. */
    static List<Object> loadAll(Path file) {
        List<Object> docs = new ArrayList<>();
        try {
            for (Object doc : yaml().loadAll(Repo.read(file))) {
                if (doc != null) {
                    docs.add(doc);
                }
            }
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + " is not valid YAML: " + e.getMessage(), e);
        }
        return docs;
    }

    /** The single document of a file as a mapping. */
    static Map<String, Object> load(Path file) {
        List<Object> docs = loadAll(file);
        if (docs.size() != 1 || !(docs.get(0) instanceof Map)) {
            throw new IllegalArgumentException(
                    file + ": expected one YAML mapping, found " + docs.size() + " documents");
        }
        return map(docs.get(0));
    }

    /** Parses YAML text (one document). */
    static Object parse(String text) {
        return yaml().load(text);
    }

    private static Yaml yaml() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        return new Yaml(new LenientTags(options));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return o instanceof Map ? (Map<String, Object>) o : Map.of();
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        return o instanceof List ? (List<Object>) o : List.of();
    }

    /** A scalar as text (numbers and booleans too); null when absent. */
    static String str(Object o) {
        return o == null ? null : String.valueOf(o);
    }

    /** Walks nested mappings; a missing step gives null. */
    static Object at(Object root, String... keys) {
        Object current = root;
        for (String key : keys) {
            if (!(current instanceof Map)) {
                return null;
            }
            current = ((Map<?, ?>) current).get(key);
        }
        return current;
    }

    /** Safe construction that reads unknown tags (Compose's {@code !reset}, {@code !override}) as untagged. */
    private static final class LenientTags extends SafeConstructor {
        LenientTags(LoaderOptions options) {
            super(options);
            this.yamlConstructors.put(null, new AbstractConstruct() {
                @Override
                public Object construct(Node node) {
                    node.setTag(
                            switch (node.getNodeId()) {
                                case scalar -> Tag.STR;
                                case sequence -> Tag.SEQ;
                                default -> Tag.MAP;
                            });
                    return getConstructor(node).construct(node);
                }
            });
        }
    }
}
