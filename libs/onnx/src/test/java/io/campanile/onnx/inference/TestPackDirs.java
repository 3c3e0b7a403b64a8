package io.campanile.onnx.inference;

import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.campanile.packs.Manifests;
import io.campanile.packs.ModelPack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/** Variants of installed test packs, written by hand for the failure cases. */
final class TestPackDirs {
    private TestPackDirs() {}

    /**
     * A copy of {@code source} as pack {@code id} whose manifest text is edited by {@code edit}; the graph is copied
     * unless {@code withGraph} is false.
     */
    static ModelPack variant(ModelPack source, Path root, String id, boolean withGraph, UnaryOperator<String> edit)
            throws IOException {
        Path dir = Files.createDirectories(root.resolve(id));
        String json = Files.readString(source.dir().resolve(Manifests.FILE))
                .replace("\"id\" : \"" + source.id() + "\"", "\"id\" : \"" + id + "\"");
        String edited = edit.apply(json);
        assertNotEquals(source.id(), Manifests.read(writeManifest(dir, edited)).id());
        if (withGraph) {
            Files.copy(source.onnxFile(), dir.resolve(source.manifest().onnx()));
        }
        return new ModelPack(dir, Manifests.read(dir));
    }

    private static Path writeManifest(Path dir, String json) throws IOException {
        Files.writeString(dir.resolve(Manifests.FILE), json);
        return dir;
    }

    /** {@code text.replace(from, to)}, failing when {@code from} is not there. */
    static String replace(String text, String from, String to) {
        if (!text.contains(from)) {
            throw new IllegalArgumentException("'" + from + "' is not in " + text);
        }
        return text.replace(from, to);
    }
}
