package io.campanile.diffusion.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** Input images are bounded on their header, before a pixel is decoded. */
class ImageLimitsTest {
    /** A PNG whose IHDR declares the size and type, followed by an IDAT that is not even zlib: only a header read works. */
    static byte[] pngHeaderOnly(int width, int height, int bitDepth, int colourType) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PngText.writeSignature(out);
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height);
        ihdr.put((byte) bitDepth)
                .put((byte) colourType)
                .put((byte) 0)
                .put((byte) 0)
                .put((byte) 0);
        PngText.writeChunk(out, "IHDR", ihdr.array());
        PngText.writeChunk(out, "IDAT", new byte[] {1, 2, 3});
        PngText.writeChunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    @Test
    void aThinStripIsRefusedFromItsHeader() {
        byte[] strip = pngHeaderOnly(1, 16_777_216, 8, 0);
        ImageHeader h = ImageCodec.header(strip);
        assertEquals(new ImageHeader("png", 1, 16_777_216, 1, 8), h);
        assertEquals(16_777_216L, h.decodedBytes());
        assertEquals(
                Optional.of("is 1x16777216 pixels; the limit is 8192 pixels a side"), ImageLimits.DEFAULT.violation(h));
        ImageLimits wideSides = new ImageLimits(1 << 25, 16, 1L << 30, 1L << 30);
        assertEquals(
                Optional.of("is 1x16777216 pixels; the longer side may be at most 16 times the shorter"),
                wideSides.violation(h));
        InvalidImageException e =
                assertThrows(InvalidImageException.class, () -> ImageCodec.decode(strip, ImageLimits.DEFAULT));
        assertTrue(e.getMessage().contains("8192 pixels a side"), e.getMessage());
    }

    @Test
    void theDecodedSizeCountsChannelsAndBitDepth() {
        ImageHeader rgba16 = ImageCodec.header(pngHeaderOnly(4096, 4096, 16, 6));
        assertEquals(new ImageHeader("png", 4096, 4096, 4, 16), rgba16);
        assertEquals(128L << 20, rgba16.decodedBytes());
        assertTrue(ImageLimits.DEFAULT.violation(rgba16).orElseThrow().endsWith("the limit is 67108864 bytes"));
        ImageHeader rgba8 = ImageCodec.header(pngHeaderOnly(4096, 4096, 8, 6));
        assertEquals(Optional.empty(), ImageLimits.DEFAULT.violation(rgba8), "64 MiB is allowed");
        ImageHeader palette = ImageCodec.header(pngHeaderOnly(4095, 3, 1, 0));
        assertEquals((4095 + 7) / 8 * 3L, palette.decodedBytes(), "1-bit rows round up to whole bytes");
        assertTrue(ImageLimits.DEFAULT
                .violation(ImageCodec.header(pngHeaderOnly(5000, 4000, 8, 0)))
                .orElseThrow()
                .endsWith("the limit is 16777216 pixels"));
    }

    @Test
    void photosAndModelSizedImagesPass() throws IOException {
        for (ImageHeader photo : new ImageHeader[] {
            new ImageHeader("jpeg", 4032, 3024, 3, 8), // a 12 MP phone photo
            new ImageHeader("jpeg", 8000, 2000, 3, 8), // a panorama
            new ImageHeader("png", 256, 256, 4, 16),
            new ImageHeader("png", 64, 64, 1, 8)
        }) {
            assertEquals(Optional.empty(), ImageLimits.DEFAULT.violation(photo), photo.toString());
        }
        BufferedImage img = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        ImageIO.write(img, "jpeg", jpeg);
        assertEquals(new ImageHeader("jpeg", 40, 30, 3, 8), ImageCodec.header(jpeg.toByteArray()));
        assertEquals(
                40, ImageCodec.decode(jpeg.toByteArray(), ImageLimits.DEFAULT).getWidth());
    }

    @Test
    void limitsArePositive() {
        assertThrows(IllegalArgumentException.class, () -> new ImageLimits(0, 16, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new ImageLimits(1, 0.5, 1, 1));
    }
}
