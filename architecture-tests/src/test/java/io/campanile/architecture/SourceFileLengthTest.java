package io.campanile.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** No main source file over 300 lines, in any module: a longer one is doing more than one thing. */
class SourceFileLengthTest {
    static final int MAX_LINES = 300;

    /** Folders never walked: build outputs and other tools' files. */
    private static final Set<String> SKIPPED = Set.of("target", "node_modules", ".git", ".mvn", ".idea");

    @Test
    void noMainSourceFileIsOver300Lines() throws IOException {
        Path root = Path.of(System.getProperty("campanile.repo.root", ".."))
                .toAbsolutePath()
                .normalize();
        List<Path> sourceRoots = mainSourceRoots(root);
        assertTrue(
                sourceRoots.contains(root.resolve("libs/contracts/src/main/java"))
                        && sourceRoots.contains(root.resolve("gateway/src/main/java")),
                "no module's src/main/java found under " + root + ": " + sourceRoots);
        List<String> tooLong = sourceRoots.stream()
                .flatMap(SourceFileLengthTest::javaFiles)
                .filter(f -> lines(f) > MAX_LINES)
                .sorted()
                .map(f -> root.relativize(f) + " (" + lines(f) + " lines)")
                .toList();
        assertEquals(List.of(), tooLong, "main source files over " + MAX_LINES + " lines");
    }

    /** Every {@code src/main/java} under the root, at any depth (libs/contracts, gateway, ...). */
    private static List<Path> mainSourceRoots(Path root) throws IOException {
        Path mainJava = Path.of("src", "main", "java");
        List<Path> found = new ArrayList<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                if (SKIPPED.contains(String.valueOf(dir.getFileName()))) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                if (dir.endsWith(mainJava)) {
                    found.add(dir);
                    return FileVisitResult.SKIP_SUBTREE;
                }
                return FileVisitResult.CONTINUE;
            }
        });
        found.sort(null);
        return found;
    }

    private static Stream<Path> javaFiles(Path sourceRoot) {
        try (Stream<Path> files = Files.walk(sourceRoot)) {
            return files.filter(f -> f.toString().endsWith(".java") && Files.isRegularFile(f)).toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long lines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).size();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
