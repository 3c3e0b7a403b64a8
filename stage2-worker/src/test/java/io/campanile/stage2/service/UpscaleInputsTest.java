package io.campanile.stage2.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.campanile.diffusion.image.ImageCodec;
import io.campanile.diffusion.image.Npy;
import io.campanile.diffusion.image.ValueRange;
import io.campanile.diffusion.tensor.Tensor;
import io.campanile.packs.PackManifest;
import io.campanile.platform.JobFailedException;
import io.campanile.testpacks.TestPacks;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How an upscale job's inputs are told apart: stage-I .npy tensors by role, or one uploaded PNG/JPEG. */
class UpscaleInputsTest {
    @TempDir
    static Path packs;

    static PackManifest manifest;

    @BeforeAll
    static void install() {
        manifest = TestPacks.stage2(packs).manifest();
    }

    private static Tensor ramp(int c, int h, int w, float offset) {
        Tensor t = Tensor.zeros(c, h, w);
        for (int i = 0; i < t.size(); i++) {
            t.data()[i] = offset + (i % 97) / 97f - 0.5f;
        }
        return t;
    }

    @Test
    void stageOneTensorsAreAHandoffInTheJobsRoleOrder() {
        Map<String, byte[]> blobs = new LinkedHashMap<>();
        blobs.put("sample 2", Npy.encode(ramp(3, 64, 64, 0.1f)));
        blobs.put("sample 1", Npy.encode(ramp(3, 64, 64, -0.1f)));
        UpscaleInputs in = UpscaleInputs.of(blobs, manifest);
        assertTrue(in.handoff());
        assertEquals(List.of("sample 2", "sample 1"), in.roles());
        assertArrayEquals(new int[] {2, 3, 64, 64}, in.images().shape());
        assertEquals(0.1f - 0.5f, in.images().data()[0], 1e-6);
        assertEquals(-0.1f - 0.5f, in.images().data()[3 * 64 * 64], 1e-6);
    }

    @Test
    void anUploadedImageIsTakenTo64PixelsInTheModelsRange() {
        byte[] png = ImageCodec.encodePng(ramp(3, 100, 150, 0.5f), ValueRange.ZERO_ONE);
        UpscaleInputs in = UpscaleInputs.of(Map.of("image", png), manifest);
        assertFalse(in.handoff());
        assertArrayEquals(new int[] {1, 3, 64, 64}, in.images().shape());
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float v : in.images().data()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertTrue(min >= -1f && max <= 1f && max - min > 0.5f, "in [-1, 1]: " + min + " .. " + max);
    }

    @Test
    void otherInputsFailTheJobWithTheReason() {
        byte[] png = ImageCodec.encodePng(ramp(3, 64, 64, 0.5f), ValueRange.ZERO_ONE);
        Map<String, byte[]> mixed = new LinkedHashMap<>();
        mixed.put("sample 1", Npy.encode(ramp(3, 64, 64, 0f)));
        mixed.put("image", png);
        assertTrue(assertThrows(JobFailedException.class, () -> UpscaleInputs.of(mixed, manifest))
                .getMessage()
                .contains("[sample 1, image]"));
        assertThrows(JobFailedException.class, () -> UpscaleInputs.of(Map.of(), manifest));
        JobFailedException grey = assertThrows(
                JobFailedException.class,
                () -> UpscaleInputs.of(Map.of("sample 1", Npy.encode(ramp(1, 28, 28, 0f))), manifest));
        assertTrue(grey.getMessage().contains("[1, 28, 28]"), grey.getMessage());
        Map<String, byte[]> sizes = new LinkedHashMap<>();
        sizes.put("a", Npy.encode(ramp(3, 64, 64, 0f)));
        sizes.put("b", Npy.encode(ramp(3, 32, 32, 0f)));
        assertThrows(JobFailedException.class, () -> UpscaleInputs.of(sizes, manifest));
    }
}
