package io.campanile.packs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestsTest {
    @TempDir
    Path dir;

    static PackManifest unet(String id, String valueRange) {
        return new PackManifest(id, "unet", "unet.onnx", 28, 1, valueRange,
                new PackManifest.SchedulerConfig("linear", 300, "fixed_large", false, null, null, 1e-4, 0.02),
                "class", List.of(1, 10), "epsilon", null, "test", List.of("0", "1", "2", "3", "4", "5", "6", "7", "8",
                        "9"), null, null);
    }

    @Test
    void aWrittenManifestReadsBackEqual() throws Exception {
        PackManifest m = unet("mnist", "[0,1]");
        Manifests.write(dir.resolve("mnist"), m);
        assertEquals(m, Manifests.read(dir.resolve("mnist")));
        assertTrue(!Files.readString(dir.resolve("mnist/manifest.json")).contains("\"unet\" :"), "derived isUnet() is not written");
    }

    @Test
    void anInvalidFieldIsNamed() {
        PackException e = assertThrows(PackException.class,
                () -> Manifests.write(dir.resolve("bad"), unet("bad", "[0,255]")));
        assertTrue(e.getMessage().contains("value_range"), e.getMessage());
    }

    @Test
    void theRegistrySkipsABrokenPackAndKeepsTheOthers() throws Exception {
        Manifests.write(dir.resolve("good"), unet("good", "[0,1]"));
        Files.createDirectories(dir.resolve("broken"));
        Files.writeString(dir.resolve("broken/manifest.json"), "{\"id\": \"broken\", \"kind\": \"vae\"}");
        PackRegistry r = PackRegistry.scan(dir);
        assertEquals(List.of("good"), r.all().stream().map(ModelPack::id).toList());
        assertEquals(1, r.problems().size());
        assertTrue(r.find("good").isPresent());
        assertTrue(!r.get("good").installed(), "no unet.onnx in the folder");
    }
}
