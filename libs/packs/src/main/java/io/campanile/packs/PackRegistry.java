package io.campanile.packs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The model packs in a folder: every sub-folder with a {@code manifest.json}. A folder whose manifest is invalid is
 * reported in {@link #problems()} and skipped, so one broken pack does not hide the others. Immutable: scan again to
 * see changes.
 */
public final class PackRegistry {
    private final Path root;
    private final Map<String, ModelPack> packs;
    private final List<String> problems;

    private PackRegistry(Path root, Map<String, ModelPack> packs, List<String> problems) {
        this.root = root;
        this.packs = packs;
        this.problems = problems;
    }

    /** Scans {@code root}; a missing folder is an empty registry. */
    public static PackRegistry scan(Path root) {
        Map<String, ModelPack> found = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        if (Files.isDirectory(root)) {
            try (Stream<Path> dirs = Files.list(root)) {
                for (Path dir : dirs.sorted().toList()) {
                    if (!Files.isRegularFile(dir.resolve(Manifests.FILE))) {
                        continue;
                    }
                    try {
                        PackManifest m = Manifests.read(dir);
                        ModelPack previous = found.putIfAbsent(m.id(), new ModelPack(dir, m));
                        if (previous != null) {
                            problems.add(dir + ": pack id '" + m.id() + "' is also used by " + previous.dir());
                        }
                    } catch (PackException e) {
                        problems.add(e.getMessage());
                    }
                }
            } catch (IOException e) {
                problems.add(root + ": cannot list: " + e.getMessage());
            }
        }
        return new PackRegistry(root, Collections.unmodifiableMap(found), List.copyOf(problems));
    }

    public Path root() {
        return root;
    }

    /** Every valid pack, by id. */
    public List<ModelPack> all() {
        return List.copyOf(packs.values());
    }

    public Optional<ModelPack> find(String id) {
        return Optional.ofNullable(packs.get(id));
    }

    /**
     * The pack with this id.
     *
     * @throws PackException naming the known ids when there is none
     */
    public ModelPack get(String id) {
        ModelPack p = packs.get(id);
        if (p == null) {
            throw new PackException("no model pack '" + id + "' in " + root + " (found " + packs.keySet() + ")");
        }
        return p;
    }

    /** Why folders with a manifest were skipped. */
    public List<String> problems() {
        return problems;
    }
}
