package io.campanile.testpacks;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.campanile.packs.Manifests;
import io.campanile.packs.PackManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;

/**
 * Writes {@code manifest.json} the way {@link Manifests#write} means to, but serialises only the record's components.
 * {@code Manifests.write} (at the time of writing) also emits the derived {@code isUnet()} / {@code isUpscaler()}
 * getters as {@code "unet": true, "upscaler": false}, which {@link Manifests#read} then rejects as unknown fields.
 */
final class ManifestFile {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .setVisibility(PropertyAccessor.IS_GETTER, JsonAutoDetect.Visibility.NONE);

    private ManifestFile() {}

    /** Validates and writes {@code dir/manifest.json} atomically. */
    static void write(Path dir, PackManifest m) throws IOException {
        Path file = dir.resolve(Manifests.FILE);
        Manifests.validate(m, file.toString());
        Path tmp = dir.resolve(Manifests.FILE + "." + UUID.randomUUID() + ".tmp");
        MAPPER.writeValue(tmp.toFile(), m);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
