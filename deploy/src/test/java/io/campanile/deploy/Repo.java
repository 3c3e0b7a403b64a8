package io.campanile.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Set;
import java.util.stream.Stream;

/** The repository the deploy files live in; tests read it from disk, as a platform engineer would. */
final class Repo {
    private static final Set<String> NOT_COPIED = Set.of(".git", "target", ".campanile", "node_modules");

    private Repo() {}

    /** The repository root: {@code campanile.repo.root} (set by the deploy module's pom) or the parent folder. */
    static Path root() {
        Path root = Path.of(System.getProperty("campanile.repo.root", ".."))
                .toAbsolutePath()
                .normalize();
        if (!Files.isRegularFile(root.resolve("pom.xml")) || !Files.isDirectory(root.resolve("deploy"))) {
            throw new IllegalStateException("not the campanile repository root: " + root);
        }
        return root;
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /**
     * Copies what the deploy checks read to {@code target}, for drift experiments: the files at the root, each Maven
     * module's pom.xml and src/main, deploy/ and packs/ (no build output, no .git, no local data).
     */
    static Path copy(Path root, Path target) {
        try {
            Files.createDirectories(target);
            try (Stream<Path> top = Files.list(root)) {
                for (Path p : (Iterable<Path>) top::iterator) {
                    if (Files.isRegularFile(p)) {
                        Files.copy(p, target.resolve(p.getFileName().toString()));
                    }
                }
            }
            copyTree(root, target, root.resolve("deploy"));
            copyTree(root, target, root.resolve("packs"));
            for (String module : Pom.read(root.resolve("pom.xml")).modules()) {
                Files.createDirectories(target.resolve(module));
                Files.copy(
                        root.resolve(module).resolve("pom.xml"),
                        target.resolve(module).resolve("pom.xml"),
                        StandardCopyOption.REPLACE_EXISTING);
                copyTree(root, target, root.resolve(module).resolve("src/main"));
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + root, e);
        }
    }

    private static void copyTree(Path root, Path target, Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path rel = root.relativize(p);
                if (isExcluded(rel)) {
                    continue;
                }
                Path dest = target.resolve(rel.toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else if (!Files.exists(dest)) {
                    Files.copy(p, dest);
                }
            }
        }
    }

    private static boolean isExcluded(Path rel) {
        for (Path part : rel) {
            if (NOT_COPIED.contains(part.toString())) {
                return true;
            }
        }
        return false;
    }
}
