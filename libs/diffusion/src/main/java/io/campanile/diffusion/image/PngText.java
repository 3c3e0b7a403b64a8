package io.campanile.diffusion.image;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.InflaterInputStream;

/**
 * Text chunks of a PNG (ISO/IEC 15948 11.3.4): how an image carries what made it (job, model, seed, parameters)
 * for anyone who opens the file, whatever tool they use ({@code exiftool}, {@code identify -verbose}, PIL's
 * {@code Image.text}). Chunks are added to the encoded bytes, after the header chunk and before the pixel data;
 * the pixel data is untouched.
 *
 * <p>A value in Latin-1 is written as {@code tEXt}; any other as {@code iTXt} (UTF-8, uncompressed).
 */
public final class PngText {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    /** The signature and the IHDR chunk (length, type, 13 bytes of data, CRC): text chunks go right after. */
    private static final int AFTER_IHDR = SIGNATURE.length + 4 + 4 + 13 + 4;

    private PngText() {}

    /**
     * The PNG with a text chunk per entry, in the map's order, after its header.
     *
     * @param entries keyword (1 to 79 printable Latin-1 characters, no leading, trailing or double spaces) to text;
     *     entries with a null value are left out
     * @throws IllegalArgumentException if the bytes are not a PNG or a keyword is not allowed
     */
    public static byte[] with(byte[] png, Map<String, String> entries) {
        checkSignature(png);
        ByteArrayOutputStream out = new ByteArrayOutputStream(png.length + 256);
        out.write(png, 0, AFTER_IHDR);
        entries.forEach((keyword, text) -> {
            if (text != null) {
                writeChunk(out, chunk(keyword, text));
            }
        });
        out.write(png, AFTER_IHDR, png.length - AFTER_IHDR);
        return out.toByteArray();
    }

    /**
     * The text chunks of a PNG ({@code tEXt}, {@code zTXt} and {@code iTXt}), keyword to text, in file order; a
     * keyword that appears twice keeps its first text.
     *
     * @throws IllegalArgumentException if the bytes are not a PNG
     */
    public static Map<String, String> read(byte[] png) {
        checkSignature(png);
        Map<String, String> text = new LinkedHashMap<>();
        ByteBuffer b = ByteBuffer.wrap(png);
        b.position(SIGNATURE.length);
        while (b.remaining() >= 12) {
            int length = b.getInt();
            String type = new String(png, b.position(), 4, StandardCharsets.ISO_8859_1);
            int data = b.position() + 4;
            if (length < 0 || data + length + 4 > png.length) {
                throw new IllegalArgumentException("truncated PNG chunk " + type);
            }
            byte[] d = Arrays.copyOfRange(png, data, data + length);
            switch (type) {
                case "tEXt", "zTXt", "iTXt" -> decode(type, d, text);
                default -> {}
            }
            if (type.equals("IEND")) {
                break;
            }
            b.position(data + length + 4);
        }
        return text;
    }

    private static byte[] chunk(String keyword, String text) {
        checkKeyword(keyword);
        ByteArrayOutputStream d = new ByteArrayOutputStream();
        d.writeBytes(keyword.getBytes(StandardCharsets.ISO_8859_1));
        d.write(0);
        if (isLatin1(text)) {
            d.writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
            return typed("tEXt", d.toByteArray());
        }
        d.writeBytes(new byte[] {0, 0, 0, 0}); // uncompressed, method 0, no language tag, no translated keyword
        d.writeBytes(text.getBytes(StandardCharsets.UTF_8));
        return typed("iTXt", d.toByteArray());
    }

    private static byte[] typed(String type, byte[] data) {
        byte[] c = new byte[4 + data.length];
        System.arraycopy(type.getBytes(StandardCharsets.ISO_8859_1), 0, c, 0, 4);
        System.arraycopy(data, 0, c, 4, data.length);
        return c;
    }

    /** Writes the 8-byte PNG signature, the start of every PNG. */
    public static void writeSignature(ByteArrayOutputStream out) {
        out.writeBytes(SIGNATURE);
    }

    /** Writes one chunk: the length of {@code data}, the 4-letter type, the data, and the CRC over type and data. */
    public static void writeChunk(ByteArrayOutputStream out, String type, byte[] data) {
        writeChunk(out, typed(type, data));
    }

    /** Writes length, type and data ({@code typeAndData}) and the CRC over them. */
    private static void writeChunk(ByteArrayOutputStream out, byte[] typeAndData) {
        CRC32 crc = new CRC32();
        crc.update(typeAndData);
        out.writeBytes(ByteBuffer.allocate(4).putInt(typeAndData.length - 4).array());
        out.writeBytes(typeAndData);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    private static void decode(String type, byte[] d, Map<String, String> text) {
        int nul = indexOf(d, 0);
        if (nul <= 0) {
            return;
        }
        String keyword = new String(d, 0, nul, StandardCharsets.ISO_8859_1);
        String value;
        if (type.equals("tEXt")) {
            value = new String(d, nul + 1, d.length - nul - 1, StandardCharsets.ISO_8859_1);
        } else if (type.equals("zTXt")) {
            value = new String(inflate(d, nul + 2), StandardCharsets.ISO_8859_1);
        } else {
            boolean compressed = d[nul + 1] != 0;
            int lang = indexOf(d, nul + 3);
            int start = indexOf(d, lang + 1) + 1;
            value = compressed
                    ? new String(inflate(d, start), StandardCharsets.UTF_8)
                    : new String(d, start, d.length - start, StandardCharsets.UTF_8);
        }
        text.putIfAbsent(keyword, value);
    }

    private static byte[] inflate(byte[] d, int from) {
        try (InflaterInputStream in = new InflaterInputStream(new ByteArrayInputStream(d, from, d.length - from))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("corrupt compressed PNG text", e);
        }
    }

    private static int indexOf(byte[] d, int from) {
        for (int i = from; i < d.length; i++) {
            if (d[i] == 0) {
                return i;
            }
        }
        return d.length;
    }

    private static boolean isLatin1(String s) {
        return s.chars().allMatch(c -> c <= 0xff && c != 0);
    }

    private static void checkKeyword(String k) {
        if (k.isEmpty()
                || k.length() > 79
                || k.startsWith(" ")
                || k.endsWith(" ")
                || k.contains("  ")
                || !k.chars().allMatch(c -> (c >= 32 && c <= 126) || (c >= 161 && c <= 255))) {
            throw new IllegalArgumentException("not a PNG text keyword: '" + k + "'");
        }
    }

    private static void checkSignature(byte[] png) {
        if (png.length < AFTER_IHDR + 12
                || !Arrays.equals(png, 0, SIGNATURE.length, SIGNATURE, 0, SIGNATURE.length)
                || !new String(png, 12, 4, StandardCharsets.ISO_8859_1).equals("IHDR")) {
            throw new IllegalArgumentException("not a PNG");
        }
    }
}
