package io.campanile.diffusion.image;

/**
 * What an image header says about the raster a full decode would allocate, read without decoding pixels (the PNG
 * IHDR chunk, the JPEG SOF segment).
 *
 * @param format {@code "png"} or {@code "jpeg"}
 * @param width width in pixels
 * @param height height in pixels
 * @param bands samples per pixel (grey 1, grey and alpha 2, RGB 3, RGBA or CMYK 4; a palette image 1)
 * @param bitsPerSample the largest sample size of a band in bits (1 to 16)
 */
public record ImageHeader(String format, int width, int height, int bands, int bitsPerSample) {
    /** The decoded raster's size: width x height x bands x bits per sample, in bytes (rows rounded up to bytes). */
    public long decodedBytes() {
        long rowBits = (long) width * bands * bitsPerSample;
        return (rowBits + 7) / 8 * height;
    }

    /** The longer side over the shorter one (1 for a square). */
    public double aspectRatio() {
        return (double) Math.max(width, height) / Math.max(1, Math.min(width, height));
    }
}
