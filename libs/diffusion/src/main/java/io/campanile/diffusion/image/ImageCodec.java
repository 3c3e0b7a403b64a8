package io.campanile.diffusion.image;

import io.campanile.diffusion.tensor.Tensor;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Reads PNG and JPEG images, turns them into CHW float tensors, and writes tensors back as PNG.
 *
 * <p>Only PNG and JPEG are accepted; everything else, and anything truncated or corrupt, raises
 * {@link InvalidImageException}. Reading works on in-memory streams, so no temporary files are created.
 */
public final class ImageCodec {

    /** Largest image {@link #decode(byte[])} accepts, in pixels (a guard against decompression bombs). */
    public static final long MAX_PIXELS = 100_000_000L;

    private ImageCodec() {}

    /** What a reader produces from an open image; may throw I/O errors. */
    @FunctionalInterface
    private interface ReaderAction<T> {
        T apply(ImageReader reader, String format) throws IOException;
    }

    /**
     * Reads format and size from the image header without decoding pixels.
     *
     * @throws InvalidImageException if the bytes are not a readable PNG or JPEG header
     */
    public static ImageInfo probe(byte[] bytes) {
        return withReader(bytes, (reader, format) -> new ImageInfo(format, reader.getWidth(0), reader.getHeight(0)));
    }

    /**
     * Reads format, size, channels and bit depth from the image header without decoding pixels: what a full decode
     * would allocate ({@link ImageHeader#decodedBytes()}). A JPEG whose colour type the reader does not report (CMYK)
     * counts as 4 channels of 8 bits.
     *
     * @throws InvalidImageException if the bytes are not a readable PNG or JPEG header
     */
    public static ImageHeader header(byte[] bytes) {
        return withReader(bytes, (reader, format) -> {
            int width = reader.getWidth(0);
            int height = reader.getHeight(0);
            ImageTypeSpecifier raw = reader.getRawImageType(0);
            if (raw == null) {
                return new ImageHeader(format, width, height, 4, 8);
            }
            int bits = 0;
            for (int b = 0; b < raw.getNumBands(); b++) {
                bits = Math.max(bits, raw.getBitsPerBand(b));
            }
            return new ImageHeader(format, width, height, raw.getNumBands(), bits);
        });
    }

    /**
     * Decodes a PNG or JPEG image once its header is within {@code limits}.
     *
     * @throws InvalidImageException if the bytes are not a valid PNG or JPEG, or the header breaks a limit (the
     *     message says which)
     */
    public static BufferedImage decode(byte[] bytes, ImageLimits limits) {
        ImageHeader h = header(bytes);
        limits.violation(h).ifPresent(problem -> {
            throw new InvalidImageException("image " + problem);
        });
        return decode(bytes);
    }

    /**
     * Decodes a PNG or JPEG image.
     *
     * @return the image, never null
     * @throws InvalidImageException if the bytes are not a valid PNG or JPEG, or the image exceeds {@link #MAX_PIXELS}
     */
    public static BufferedImage decode(byte[] bytes) {
        return withReader(bytes, (reader, format) -> {
            long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
            if (pixels > MAX_PIXELS) {
                throw new InvalidImageException("image has " + pixels + " pixels, more than the limit " + MAX_PIXELS);
            }
            return reader.read(0);
        });
    }

    /**
     * Converts an image to a {@code [channels, size, size]} tensor, like torchvision's {@code Resize(size)} followed
     * by {@code CenterCrop(size)}.
     *
     * <ol>
     *   <li>Pixels are read in [0, 1]; transparent pixels are composited over white.
     *   <li>Channels: grey is replicated to 3 channels; colour becomes 1 channel by the luma {@code 0.299 R + 0.587 G
     *       + 0.114 B} (ITU-R BT.601, as PIL's "L" mode).
     *   <li>The shorter side is scaled to {@code size} (the longer to {@code floor(size * long / short)}), by area
     *       averaging when shrinking and bilinear interpolation when enlarging, then the centre {@code size x size}
     *       square is kept (offset {@code round((resized - size) / 2)}).
     *   <li>Values are mapped from [0, 1] into {@code range}.
     * </ol>
     *
     * @param img the image
     * @param size output height and width, positive
     * @param channels 1 or 3
     * @param range the output value range
     */
    public static Tensor toTensor(BufferedImage img, int size, int channels, ValueRange range) {
        if (size <= 0) {
            throw new IllegalArgumentException("size: must be positive, got " + size);
        }
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels: must be 1 or 3, got " + channels);
        }
        int w = img.getWidth();
        int h = img.getHeight();
        int shorter = Math.min(w, h);
        int resizedW = w == shorter ? size : (int) ((long) size * w / shorter);
        int resizedH = h == shorter ? size : (int) ((long) size * h / shorter);
        Resampler.Axis xAxis = Resampler.axis(w, resizedW, centreOffset(resizedW, size), size);
        Resampler.Axis yAxis = Resampler.axis(h, resizedH, centreOffset(resizedH, size), size);
        float[][] planes = Pixels.unitPlanes(img, channels);
        float[] out = new float[channels * size * size];
        for (int c = 0; c < channels; c++) {
            float[] plane = Resampler.resize(planes[c], w, h, xAxis, yAxis);
            for (int i = 0; i < plane.length; i++) {
                out[c * plane.length + i] = range.fromUnit(plane[i]);
            }
        }
        return new Tensor(new int[] {channels, size, size}, out);
    }

    /**
     * Encodes a {@code [C, H, W]} tensor (C = 1 or 3) as an 8-bit grey or RGB PNG. Each value is mapped to [0, 1] from
     * {@code range}, clamped, and quantised as {@code floor(u * 255 + 0.5)} (round half up); NaN becomes 0.
     *
     * @throws IllegalArgumentException if the tensor is not CHW with 1 or 3 channels
     */
    public static byte[] encodePng(Tensor chw, ValueRange range) {
        if (chw.rank() != 3 || (chw.dim(0) != 1 && chw.dim(0) != 3) || chw.dim(1) < 1 || chw.dim(2) < 1) {
            throw new IllegalArgumentException(
                    "image: expected shape [C, H, W] with C = 1 or 3, got " + chw.shapeString());
        }
        BufferedImage img = Pixels.toImage(chw, range);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(img, "png", out)) {
                throw new IllegalStateException("no PNG writer available");
            }
        } catch (IOException e) {
            throw new IllegalStateException("PNG encoding failed", e);
        }
        return out.toByteArray();
    }

    /** {@code round((resized - size) / 2)} with Python's round-half-even, as torchvision's {@code center_crop}. */
    private static int centreOffset(int resized, int size) {
        return (int) Math.rint((resized - size) / 2.0);
    }

    /** Opens the first PNG or JPEG reader that accepts the bytes, applies {@code action}, and always disposes it. */
    private static <T> T withReader(byte[] bytes, ReaderAction<T> action) {
        if (bytes == null || bytes.length == 0) {
            throw new InvalidImageException("image is empty");
        }
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            ImageReader reader = supportedReader(in);
            try {
                reader.setInput(in, true, true);
                return action.apply(reader, formatOf(reader));
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof InvalidImageException invalid) {
                throw invalid;
            }
            throw new InvalidImageException("cannot read image: " + e.getMessage(), e);
        }
    }

    private static ImageReader supportedReader(ImageInputStream in) {
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        while (readers.hasNext()) {
            ImageReader reader = readers.next();
            if (formatOf(reader) != null) {
                return reader;
            }
        }
        throw new InvalidImageException("not a PNG or JPEG image");
    }

    /** {@code "png"}, {@code "jpeg"}, or null for any other format. */
    private static String formatOf(ImageReader reader) {
        try {
            String name = reader.getFormatName().toLowerCase(Locale.ROOT);
            return switch (name) {
                case "png" -> "png";
                case "jpeg", "jpg" -> "jpeg";
                default -> null;
            };
        } catch (IOException e) {
            return null;
        }
    }
}
