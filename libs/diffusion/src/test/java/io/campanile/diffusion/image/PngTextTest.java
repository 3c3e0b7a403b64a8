package io.campanile.diffusion.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.campanile.diffusion.tensor.Tensor;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Node;

class PngTextTest {
    private static final Map<String, String> TEXT = new LinkedHashMap<>();

    static {
        TEXT.put("job_id", "6f1c0c1e-0000-4000-8000-000000000001");
        TEXT.put("params", "{\"prompt\":\"an oil painting of an old man\",\"t\":[250,500]}");
        TEXT.put("prompt", "ein Gemälde, 一幅油画"); // beyond Latin-1: iTXt
        TEXT.put("role", "noisy t=250");
    }

    private static byte[] png() {
        float[] v = new float[3 * 9 * 7];
        for (int i = 0; i < v.length; i++) {
            v[i] = (i % 17) / 8f - 1f;
        }
        return ImageCodec.encodePng(new Tensor(new int[] {3, 9, 7}, v), ValueRange.MINUS_ONE_ONE);
    }

    @Test
    void theTextReadsBackAndThePixelDataIsUntouched() {
        byte[] plain = png();
        byte[] tagged = PngText.with(plain, TEXT);
        assertEquals(TEXT, PngText.read(tagged));
        assertEquals(Map.of(), PngText.read(plain));
        assertArrayEquals(chunksWithout(plain, "tEXt", "iTXt"), chunksWithout(tagged, "tEXt", "iTXt"));
        BufferedImage a = ImageCodec.decode(plain);
        BufferedImage b = ImageCodec.decode(tagged);
        for (int y = 0; y < 9; y++) {
            for (int x = 0; x < 7; x++) {
                assertEquals(a.getRGB(x, y), b.getRGB(x, y));
            }
        }
    }

    @Test
    void javaImageIoReadsTheChunksAsPngMetadata() throws IOException {
        byte[] tagged = PngText.with(png(), TEXT);
        Map<String, String> seen = new LinkedHashMap<>();
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(tagged))) {
            ImageReader reader = ImageIO.getImageReadersByFormatName("png").next();
            reader.setInput(in);
            Node root = reader.getImageMetadata(0).getAsTree("javax_imageio_png_1.0");
            for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
                for (Node e = n.getFirstChild(); e != null; e = e.getNextSibling()) {
                    String value = e.getNodeName().equals("tEXtEntry") ? "value" : "text";
                    if (e.getNodeName().equals("tEXtEntry") || e.getNodeName().equals("iTXtEntry")) {
                        seen.put(attr(e, "keyword"), attr(e, value));
                    }
                }
            }
            reader.dispose();
        }
        assertEquals(TEXT.keySet(), seen.keySet());
        TEXT.forEach((k, v) -> assertEquals(v, seen.get(k), k));
    }

    @Test
    void badKeywordsAndNonPngsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> PngText.with(png(), Map.of(" x", "y")));
        assertThrows(IllegalArgumentException.class, () -> PngText.with(png(), Map.of("x".repeat(80), "y")));
        assertThrows(IllegalArgumentException.class, () -> PngText.read("GIF89a".getBytes(StandardCharsets.UTF_8)));
    }

    private static String attr(Node n, String name) {
        return n.getAttributes().getNamedItem(name).getNodeValue();
    }

    /** The file's chunks, bytes as written, leaving out the chunks of the given types. */
    private static byte[] chunksWithout(byte[] png, String... types) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer b = ByteBuffer.wrap(png);
        b.position(8);
        while (b.remaining() >= 12) {
            int start = b.position();
            int length = b.getInt();
            String type = new String(png, start + 4, 4, StandardCharsets.ISO_8859_1);
            int end = start + 12 + length;
            if (!List.of(types).contains(type)) {
                out.write(png, start, end - start);
            }
            b.position(end);
        }
        return out.toByteArray();
    }
}
