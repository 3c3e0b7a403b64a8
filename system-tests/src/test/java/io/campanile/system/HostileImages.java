package io.campanile.system;

import io.campanile.diffusion.image.PngText;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.zip.Deflater;
import javax.imageio.ImageIO;

/**
 * Images for the abuse suite, as base64: a small valid PNG, and image bombs that must be refused from their header
 * (huge or thin rasters, a 16-bit raster too large to decode) or fail their decode cheaply (truncated zlib of a large
 * raster), and valid images carrying a metadata bomb the gateway must not inflate.
 */
final class HostileImages {
    private HostileImages() {}

    /** A valid 64 x 64 grey PNG (the valid requests' image). */
    static String small() {
        BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                img.getRaster().setSample(x, y, 0, (x * 4) ^ (y * 4));
            }
        }
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(img, "png", out);
            return b64(out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Images no request may get through: every one is a 400 naming the field, whatever else the request says.
     *
     * @return base64 strings, each small enough to send thousands of times
     */
    static List<String> refused() {
        return List.of(
                b64(png(1, 16_777_216, 8, 0, junkIdat())), // the 1 x 16,777,216 strip
                b64(png(16_777_216, 1, 8, 2, junkIdat())),
                b64(png(100_000, 100_000, 8, 6, junkIdat())),
                b64(png(4096, 4096, 16, 6, junkIdat())), // 128 MiB decoded
                b64(png(4097, 4096, 8, 0, junkIdat())), // one pixel column past 16,777,216
                b64(png(0, 64, 8, 0, junkIdat())),
                b64(png(64, 64, 8, 3, junkIdat())), // palette without PLTE
                b64(png(4096, 4096, 8, 0, truncatedZeros(4096, 4096))), // a zlib bomb cut short
                b64(jpegHeader(65_535, 65_535)),
                b64(jpegHeader(1, 60_000)),
                b64(Arrays.copyOf(Base64.getDecoder().decode(small()), 60)), // truncated PNG
                b64("GIF89a\u0001\u0000\u0001\u0000".getBytes(StandardCharsets.ISO_8859_1)),
                b64("BM not a png".getBytes(StandardCharsets.ISO_8859_1)),
                "data:image/png;base64,***",
                "%%%not base64%%%",
                "",
                "AAAA",
                "\u00e9\u00e8\ud83d\ude00");
    }

    /** Valid images with a zTXt chunk that would inflate to 256 MiB: accepted, and never inflated. */
    static String metadataBomb() {
        byte[] zeros = new byte[256 << 20];
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        z.writeBytes("Comment".getBytes(StandardCharsets.ISO_8859_1));
        z.write(0);
        z.write(0); // compression method: zlib
        z.writeBytes(deflate(zeros, zeros.length));
        byte[] png = Base64.getDecoder().decode(small());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int afterIhdr = 8 + 4 + 4 + 13 + 4;
        out.write(png, 0, afterIhdr);
        PngText.writeChunk(out, "zTXt", z.toByteArray());
        out.write(png, afterIhdr, png.length - afterIhdr);
        return b64(out.toByteArray());
    }

    /** A PNG with this IHDR and this IDAT payload. */
    static byte[] png(int width, int height, int bitDepth, int colourType, byte[] idat) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PngText.writeSignature(out);
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height);
        ihdr.put((byte) bitDepth)
                .put((byte) colourType)
                .put((byte) 0)
                .put((byte) 0)
                .put((byte) 0);
        PngText.writeChunk(out, "IHDR", ihdr.array());
        PngText.writeChunk(out, "IDAT", idat);
        PngText.writeChunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static byte[] junkIdat() {
        return new byte[] {1, 2, 3, 4};
    }

    /** The zlib stream of a grey raster of zeros (filter byte per row), cut to its first half. */
    private static byte[] truncatedZeros(int width, int height) {
        byte[] raw = new byte[(width + 1) * height];
        byte[] z = deflate(raw, raw.length);
        return Arrays.copyOf(z, z.length / 2);
    }

    private static byte[] deflate(byte[] data, int length) {
        Deflater d = new Deflater(Deflater.BEST_COMPRESSION);
        d.setInput(data, 0, length);
        d.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[1 << 16];
        while (!d.finished()) {
            out.write(buf, 0, d.deflate(buf));
        }
        d.end();
        return out.toByteArray();
    }

    /** SOI, a baseline SOF0 claiming this size with 3 components, then EOI: a header and nothing to decode. */
    private static byte[] jpegHeader(int width, int height) {
        ByteBuffer b = ByteBuffer.allocate(2 + 2 + 17 + 2);
        b.put((byte) 0xff).put((byte) 0xd8);
        b.put((byte) 0xff).put((byte) 0xc0).putShort((short) 17).put((byte) 8);
        b.putShort((short) height).putShort((short) width).put((byte) 3);
        for (int c = 1; c <= 3; c++) {
            b.put((byte) c).put((byte) 0x11).put((byte) 0);
        }
        b.put((byte) 0xff).put((byte) 0xd9);
        return b.array();
    }

    private static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
