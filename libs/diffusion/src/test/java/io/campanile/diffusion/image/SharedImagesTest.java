package io.campanile.diffusion.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.campanile.diffusion.tensor.Tensor;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Real photos from the shared data folder (scikit-image test images); skipped when the folder is absent. */
class SharedImagesTest {

    private static byte[] read(String name) throws IOException {
        Path dir = Path.of(System.getProperty("campanile.shared.dir", "../../../shared"), "data", "images");
        Path file = dir.resolve(name);
        Assumptions.assumeTrue(Files.isRegularFile(file), "missing " + file.toAbsolutePath());
        return Files.readAllBytes(file);
    }

    /** Grey levels are read raw: the mean matches the PNG's own samples (0.50612, from a plain zlib decode). */
    @Test
    void cameraIsGreyAndReadWithoutGammaShift() throws IOException {
        byte[] bytes = read("camera.png");
        assertEquals(new ImageInfo("png", 512, 512), ImageCodec.probe(bytes));
        BufferedImage img = ImageCodec.decode(bytes);
        Tensor full = ImageCodec.toTensor(img, 512, 1, ValueRange.ZERO_ONE);
        assertEquals(0.50612, mean(full.data(), 0, full.size()), 1e-5);
        assertEquals(200f / 255, full.data()[0], 1e-7f);
        assertEquals(54f / 255, full.data()[100 * 512 + 200], 1e-7f);
        Tensor small = ImageCodec.toTensor(img, 64, 3, ValueRange.MINUS_ONE_ONE);
        assertArrayEquals(new int[] {3, 64, 64}, small.shape());
        float[] v = small.data();
        for (int i = 0; i < 64 * 64; i++) {
            assertEquals(v[i], v[64 * 64 + i]);
            assertTrue(v[i] >= -1f && v[i] <= 1f);
        }
    }

    /** Area averaging preserves the mean of the cropped region; chelsea's 300 x 300 centre is mostly the cat. */
    @Test
    void chelseaDecodesAsColour() throws IOException {
        byte[] bytes = read("chelsea.png");
        assertEquals(new ImageInfo("png", 451, 300), ImageCodec.probe(bytes));
        BufferedImage img = ImageCodec.decode(bytes);
        Tensor t = ImageCodec.toTensor(img, 64, 3, ValueRange.ZERO_ONE);
        assertArrayEquals(new int[] {3, 64, 64}, t.shape());
        Tensor centre = ImageCodec.toTensor(img, 300, 3, ValueRange.ZERO_ONE);
        int plane = 64 * 64;
        for (int c = 0; c < 3; c++) {
            assertEquals(mean(centre.data(), c * 300 * 300, 300 * 300), mean(t.data(), c * plane, plane), 1e-3);
        }
        assertTrue(mean(t.data(), 0, plane) > mean(t.data(), 2 * plane, plane), "red should dominate blue");
    }

    @Test
    void rocketIsAJpeg() throws IOException {
        byte[] bytes = read("rocket.jpg");
        assertEquals(new ImageInfo("jpeg", 640, 427), ImageCodec.probe(bytes));
        Tensor t = ImageCodec.toTensor(ImageCodec.decode(bytes), 64, 3, ValueRange.MINUS_ONE_ONE);
        assertArrayEquals(new int[] {3, 64, 64}, t.shape());
    }

    private static double mean(float[] v, int from, int count) {
        double sum = 0;
        for (int i = from; i < from + count; i++) {
            sum += v[i];
        }
        return sum / count;
    }
}
