package io.campanile.packs;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A model pack found on disk: its folder and its checked manifest.
 *
 * @param dir the pack folder
 * @param manifest its manifest, already validated
 */
public record ModelPack(Path dir, PackManifest manifest) {

    public String id() {
        return manifest.id();
    }

    /** The ONNX graph file (its external-data files sit beside it, so load from this path). */
    public Path onnxFile() {
        return dir.resolve(manifest.onnx());
    }

    /** Whether the graph file is present: a pack can be a manifest only, when its weights are not installed. */
    public boolean installed() {
        return Files.isRegularFile(onnxFile());
    }
}
