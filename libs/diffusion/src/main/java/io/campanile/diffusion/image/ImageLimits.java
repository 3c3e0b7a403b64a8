package io.campanile.diffusion.image;

import java.util.Optional;

/**
 * Bounds on an input image, checked on its header ({@link ImageHeader}) before any pixel is decoded, so that a small
 * file that declares a huge or absurdly thin raster (a decompression bomb, a 1 x 16,777,216 strip) is refused before
 * it costs memory. Inputs are resized to the model's size (64 px for stage I) from their shorter side, so a limit
 * only needs to leave room for the photos users upload.
 *
 * @param maxSide the longest side, in pixels
 * @param maxAspectRatio the longer side over the shorter one
 * @param maxPixels width x height
 * @param maxDecodedBytes the decoded raster, {@link ImageHeader#decodedBytes()}
 */
public record ImageLimits(int maxSide, double maxAspectRatio, long maxPixels, long maxDecodedBytes) {
    /**
     * What the gateway accepts by default: an 8192 px side (panoramas of up to 16 megapixels, as before the other
     * limits), 16:1, 16,777,216 pixels (4096 x 4096) and a 64 MiB raster (4096 x 4096 RGBA at 8 bits).
     */
    public static final ImageLimits DEFAULT = new ImageLimits(8192, 16, 16_777_216L, 64L << 20);

    /**
     * What the workers decode: a backstop for a blob that did not come through the gateway's checks (the gateway's
     * configured limits must stay within it).
     */
    public static final ImageLimits BACKSTOP = new ImageLimits(16_384, 64, ImageCodec.MAX_PIXELS, 512L << 20);

    public ImageLimits {
        if (maxSide < 1 || maxAspectRatio < 1 || maxPixels < 1 || maxDecodedBytes < 1) {
            throw new IllegalArgumentException("image limits must be positive (aspect ratio 1 or more): " + maxSide
                    + ", " + maxAspectRatio + ", " + maxPixels + ", " + maxDecodedBytes);
        }
    }

    /** Why the image is refused ("is 1x16777216 pixels; ..."), or empty when it is within every limit. */
    public Optional<String> violation(ImageHeader h) {
        String size = "is " + h.width() + "x" + h.height() + " pixels";
        if (h.width() < 1 || h.height() < 1) {
            return Optional.of(size);
        }
        if (Math.max(h.width(), h.height()) > maxSide) {
            return Optional.of(size + "; the limit is " + maxSide + " pixels a side");
        }
        if (h.aspectRatio() > maxAspectRatio) {
            return Optional.of(size + "; the longer side may be at most " + fmt(maxAspectRatio) + " times the shorter");
        }
        if ((long) h.width() * h.height() > maxPixels) {
            return Optional.of(size + "; the limit is " + maxPixels + " pixels");
        }
        if (h.decodedBytes() > maxDecodedBytes) {
            return Optional.of(size + " with " + h.bands() + " channels of " + h.bitsPerSample() + " bits, "
                    + h.decodedBytes() + " bytes decoded; the limit is " + maxDecodedBytes + " bytes");
        }
        return Optional.empty();
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }
}
