package io.campanile.testkit;

import io.campanile.testpacks.TestPacks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The packs folder of a local stack: a link to each pack shipped in the repository's {@code packs/} (IF manifests,
 * the trained MNIST pack, and any weights exported into them), plus the generated test packs when asked for.
 */
final class Packs {
    private Packs() {}

    static Path prepare(Path shipped, Path target, boolean testPacks) throws IOException {
        Files.createDirectories(target);
        if (Files.isDirectory(shipped)) {
            try (Stream<Path> dirs = Files.list(shipped)) {
                for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                    Path link = target.resolve(dir.getFileName());
                    if (!Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
                        Files.createSymbolicLink(link, dir.toAbsolutePath());
                    }
                }
            }
        }
        if (testPacks) {
            TestPacks.installAll(target);
        }
        return target.toAbsolutePath();
    }
}
