package io.campanile.diffusion.image;

/**
 * What an image header says, read without decoding pixels.
 *
 * @param format {@code "png"} or {@code "jpeg"}
 * @param width width in pixels
 * @param height height in pixels
 */
public record ImageInfo(String format, int width, int height) {}
