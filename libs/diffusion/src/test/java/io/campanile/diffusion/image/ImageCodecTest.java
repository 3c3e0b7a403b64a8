package io.campanile.diffusion.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.campanile.diffusion.noise.SeededNoise;
import io.campanile.diffusion.tensor.Tensor;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ImageCodecTest {

    @Test
    void colourPngRoundTripIsWithinOneLevel() {
        Tensor x = uniform(3, 16, 16, -1f, 1f);
        Tensor back = ImageCodec.toTensor(
                ImageCodec.decode(ImageCodec.encodePng(x, ValueRange.MINUS_ONE_ONE)), 16, 3, ValueRange.MINUS_ONE_ONE);
        assertArrayEquals(x.shape(), back.shape());
        assertArrayEquals(x.data(), back.data(), 1f / 255 + 1e-6f);
    }

    @Test
    void greyPngRoundTripIsWithinHalfALevel() {
        Tensor x = uniform(1, 12, 20, 0f, 1f);
        byte[] png = ImageCodec.encodePng(x, ValueRange.ZERO_ONE);
        assertEquals(new ImageInfo("png", 20, 12), ImageCodec.probe(png));
        BufferedImage img = ImageCodec.decode(png);
        assertEquals(BufferedImage.TYPE_BYTE_GRAY, img.getType());
        Tensor back = ImageCodec.toTensor(img, 12, 1, ValueRange.ZERO_ONE);
        float[] centre = new float[12 * 12];
        for (int y = 0; y < 12; y++) {
            System.arraycopy(x.data(), y * 20 + 4, centre, y * 12, 12);
        }
        assertArrayEquals(centre, back.data(), 0.5f / 255 + 1e-6f);
    }

    @Test
    void encodeClampsAndRoundsHalfUp() {
        Tensor x = new Tensor(new int[] {1, 1, 5}, new float[] {-3f, 2f, Float.NaN, 0.5f / 255, 127.5f / 255});
        BufferedImage img = ImageCodec.decode(ImageCodec.encodePng(x, ValueRange.ZERO_ONE));
        int[] levels = img.getRaster().getSamples(0, 0, 5, 1, 0, new int[5]);
        assertArrayEquals(new int[] {0, 255, 0, 1, 128}, levels);
    }

    @Test
    void encodeRejectsWrongShapes() {
        ValueRange r = ValueRange.ZERO_ONE;
        assertThrows(IllegalArgumentException.class, () -> ImageCodec.encodePng(Tensor.zeros(2, 4, 4), r));
        assertThrows(IllegalArgumentException.class, () -> ImageCodec.encodePng(Tensor.zeros(3, 4), r));
    }

    @Test
    void probeReadsPngAndJpegHeaders() throws IOException {
        BufferedImage img = solid(40, 30, Color.ORANGE, BufferedImage.TYPE_INT_RGB);
        assertEquals(new ImageInfo("png", 40, 30), ImageCodec.probe(write(img, "png")));
        assertEquals(new ImageInfo("jpeg", 40, 30), ImageCodec.probe(write(img, "jpeg")));
        BufferedImage decoded = ImageCodec.decode(write(img, "jpeg"));
        assertEquals(40, decoded.getWidth());
    }

    @Test
    void garbageAndOtherFormatsAreInvalid() throws IOException {
        byte[] garbage = "definitely not an image".getBytes(StandardCharsets.US_ASCII);
        assertThrows(InvalidImageException.class, () -> ImageCodec.probe(garbage));
        assertThrows(InvalidImageException.class, () -> ImageCodec.decode(garbage));
        assertThrows(InvalidImageException.class, () -> ImageCodec.probe(new byte[0]));
        assertThrows(InvalidImageException.class, () -> ImageCodec.probe(null));
        byte[] gif = write(solid(8, 8, Color.RED, BufferedImage.TYPE_INT_RGB), "gif");
        assertThrows(InvalidImageException.class, () -> ImageCodec.probe(gif));
        assertThrows(InvalidImageException.class, () -> ImageCodec.decode(gif));
    }

    @Test
    void truncatedImagesAreInvalid() throws IOException {
        byte[] png = ImageCodec.encodePng(uniform(3, 64, 64, 0f, 1f), ValueRange.ZERO_ONE);
        assertThrows(InvalidImageException.class, () -> ImageCodec.probe(Arrays.copyOf(png, 20)));
        assertThrows(InvalidImageException.class, () -> ImageCodec.decode(Arrays.copyOf(png, png.length / 2)));
        byte[] jpeg = write(ImageCodec.decode(png), "jpeg");
        assertThrows(InvalidImageException.class, () -> ImageCodec.decode(Arrays.copyOf(jpeg, 100)));
    }

    @Test
    void wideImageIsScaledAndCentreCropped() {
        BufferedImage img = new BufferedImage(100, 50, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(0, 0, 50, 50);
        g.setColor(Color.BLUE);
        g.fillRect(50, 0, 50, 50);
        g.dispose();
        Tensor t = ImageCodec.toTensor(img, 32, 3, ValueRange.ZERO_ONE);
        assertArrayEquals(new int[] {3, 32, 32}, t.shape());
        // resized to 64 x 32, crop columns 16..47: the red/blue edge lands between crop columns 15 and 16
        float[] v = t.data();
        int plane = 32 * 32;
        assertEquals(1f, v[10 * 32 + 15], 1e-6f);
        assertEquals(0f, v[2 * plane + 10 * 32 + 15], 1e-6f);
        assertEquals(0f, v[10 * 32 + 16], 1e-6f);
        assertEquals(1f, v[2 * plane + 10 * 32 + 16], 1e-6f);
    }

    @Test
    void channelConversionsAndAlpha() {
        BufferedImage red = solid(10, 10, Color.RED, BufferedImage.TYPE_INT_RGB);
        float[] luma = ImageCodec.toTensor(red, 4, 1, ValueRange.ZERO_ONE).data();
        assertEquals(0.299f, luma[0], 1e-6f);
        BufferedImage grey = solid(10, 10, new Color(51, 51, 51), BufferedImage.TYPE_BYTE_GRAY);
        Tensor rgb = ImageCodec.toTensor(grey, 20, 3, ValueRange.MINUS_ONE_ONE);
        assertArrayEquals(new int[] {3, 20, 20}, rgb.shape());
        for (float v : rgb.data()) {
            assertEquals(2 * 0.2f - 1, v, 1e-6f);
        }
        BufferedImage clear = new BufferedImage(6, 6, BufferedImage.TYPE_INT_ARGB);
        for (float v : ImageCodec.toTensor(clear, 6, 3, ValueRange.ZERO_ONE).data()) {
            assertEquals(1f, v, 1e-6f);
        }
    }

    @Test
    void upscalingKeepsConstantsAndRejectsBadArguments() {
        BufferedImage img = solid(5, 7, new Color(10, 200, 90), BufferedImage.TYPE_INT_RGB);
        float[] v = ImageCodec.toTensor(img, 64, 3, ValueRange.ZERO_ONE).data();
        assertEquals(200f / 255, v[64 * 64 + 1234], 1e-6f);
        assertThrows(IllegalArgumentException.class, () -> ImageCodec.toTensor(img, 0, 3, ValueRange.ZERO_ONE));
        assertThrows(IllegalArgumentException.class, () -> ImageCodec.toTensor(img, 8, 2, ValueRange.ZERO_ONE));
    }

    @Test
    void valueRangeParsesAndMaps() {
        assertEquals(ValueRange.MINUS_ONE_ONE, ValueRange.parse("[-1,1]"));
        assertEquals(ValueRange.MINUS_ONE_ONE, ValueRange.parse("[-1, 1]"));
        assertEquals(ValueRange.MINUS_ONE_ONE, ValueRange.parse("MINUS_ONE_ONE"));
        assertEquals(ValueRange.ZERO_ONE, ValueRange.parse("[0,1]"));
        assertEquals(ValueRange.ZERO_ONE, ValueRange.parse("zero_one"));
        assertThrows(IllegalArgumentException.class, () -> ValueRange.parse("[0,255]"));
        assertEquals(0.5f, ValueRange.MINUS_ONE_ONE.toUnit(0f));
        assertEquals(-1f, ValueRange.MINUS_ONE_ONE.fromUnit(0f));
        assertEquals(0.25f, ValueRange.ZERO_ONE.fromUnit(0.25f));
    }

    private static Tensor uniform(int c, int h, int w, float lo, float hi) {
        Tensor t = SeededNoise.gaussian(7L, "uniform", 0, c, h, w);
        float[] v = t.data();
        for (int i = 0; i < v.length; i++) {
            v[i] = lo + (hi - lo) * (float) (0.5 * (1 + Math.tanh(v[i])));
        }
        return t;
    }

    private static BufferedImage solid(int w, int h, Color colour, int type) {
        BufferedImage img = new BufferedImage(w, h, type);
        Graphics2D g = img.createGraphics();
        g.setColor(colour);
        g.fillRect(0, 0, w, h);
        g.dispose();
        return img;
    }

    static byte[] write(BufferedImage img, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(img, format, out), "no writer for " + format);
        return out.toByteArray();
    }
}
