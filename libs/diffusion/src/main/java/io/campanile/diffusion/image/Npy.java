package io.campanile.diffusion.image;

import io.campanile.diffusion.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy {@code .npy} files of little-endian float32 ({@code '<f4'}), C order, byte for byte as {@code numpy.save}
 * writes them (format version 1.0, NEP 1 / {@code numpy.lib.format}).
 *
 * <p>Layout: the magic {@code \x93NUMPY}, version bytes {@code 1 0}, a little-endian uint16 header length, the
 * header (an ASCII Python dict literal padded with spaces and ended by {@code '\n'} so that magic + length + header
 * is a multiple of 64 bytes), then the raw data.
 */
public final class Npy {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int ALIGN = 64;
    /** numpy leaves room for the first dimension to grow to this many digits when appending in place. */
    private static final int GROWTH_AXIS_MAX_DIGITS = 21;

    private static final Pattern HEADER =
            Pattern.compile("\\{\\s*'descr'\\s*:\\s*'([^']*)'\\s*,\\s*'fortran_order'\\s*:\\s*(True|False)\\s*,"
                    + "\\s*'shape'\\s*:\\s*\\(([^)]*)\\)\\s*,?\\s*}\\s*");

    private Npy() {}

    /** Encodes a tensor as a version 1.0 {@code .npy} file with dtype {@code '<f4'}. */
    public static byte[] encode(Tensor t) {
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shapeTuple(t.shape()) + ", }";
        StringBuilder header = new StringBuilder(dict);
        if (t.rank() > 0) {
            header.append(" "
                    .repeat(GROWTH_AXIS_MAX_DIGITS - Integer.toString(t.dim(0)).length()));
        }
        int prefix = MAGIC.length + 2 + 2;
        int pad = ALIGN - (prefix + header.length() + 1) % ALIGN;
        header.append(" ".repeat(pad)).append('\n');
        byte[] headerBytes = header.toString().getBytes(StandardCharsets.US_ASCII);
        ByteBuffer out =
                ByteBuffer.allocate(prefix + headerBytes.length + 4 * t.size()).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC)
                .put((byte) 1)
                .put((byte) 0)
                .putShort((short) headerBytes.length)
                .put(headerBytes);
        out.asFloatBuffer().put(t.data());
        return out.array();
    }

    /**
     * Decodes a {@code .npy} file (version 1.0, 2.0 or 3.0) holding C-ordered {@code '<f4'} data.
     *
     * @throws IllegalArgumentException if the bytes are not such a file
     */
    public static Tensor decode(byte[] npy) {
        if (npy == null || npy.length < 10 || !startsWithMagic(npy)) {
            throw new IllegalArgumentException("npy: missing \\x93NUMPY magic");
        }
        ByteBuffer in = ByteBuffer.wrap(npy).order(ByteOrder.LITTLE_ENDIAN);
        int major = npy[6];
        in.position(8);
        long headerLength = major == 1 ? Short.toUnsignedInt(in.getShort()) : Integer.toUnsignedLong(in.getInt());
        if (major < 1 || major > 3 || in.position() + headerLength > npy.length) {
            throw new IllegalArgumentException("npy: unsupported version " + major + " or truncated header");
        }
        String header = new String(npy, in.position(), (int) headerLength, StandardCharsets.ISO_8859_1);
        int[] shape = parseHeader(header);
        in.position(in.position() + (int) headerLength);
        Tensor t = Tensor.zeros(shape);
        if (in.remaining() != 4L * t.size()) {
            throw new IllegalArgumentException("npy: expected " + 4L * t.size() + " data bytes for shape "
                    + t.shapeString() + ", got " + in.remaining());
        }
        in.asFloatBuffer().get(t.data());
        return t;
    }

    private static boolean startsWithMagic(byte[] bytes) {
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes[i] != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    /** Checks dtype and order and returns the shape. */
    private static int[] parseHeader(String header) {
        Matcher m = HEADER.matcher(header);
        if (!m.matches()) {
            throw new IllegalArgumentException("npy: cannot parse header " + header.trim());
        }
        if (!m.group(1).equals("<f4")) {
            throw new IllegalArgumentException("npy: dtype must be '<f4', got '" + m.group(1) + "'");
        }
        if (m.group(2).equals("True")) {
            throw new IllegalArgumentException("npy: fortran_order True is not supported");
        }
        String dims = m.group(3).trim();
        if (dims.isEmpty()) {
            return new int[0];
        }
        String[] parts = dims.split("\\s*,\\s*");
        int[] shape = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                shape[i] = Integer.parseInt(parts[i].trim().replaceAll("L$", ""));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("npy: bad shape (" + dims + ")", e);
            }
        }
        return shape;
    }

    /** Python's tuple repr: {@code ()}, {@code (5,)}, {@code (3, 64, 64)}. */
    private static String shapeTuple(int[] shape) {
        StringBuilder s = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            s.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return s.append(shape.length == 1 ? ",)" : ")").toString();
    }
}
