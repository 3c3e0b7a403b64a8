package io.campanile.diffusion.image;

import io.campanile.diffusion.tensor.Tensor;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;

/** Moves pixels between {@link BufferedImage}s and planar float arrays in [0, 1]. */
final class Pixels {

    /** ITU-R BT.601 luma weights, as PIL's RGB to "L" conversion. */
    private static final float LUMA_R = 0.299f;

    private static final float LUMA_G = 0.587f;
    private static final float LUMA_B = 0.114f;

    private Pixels() {}

    /**
     * Returns {@code channels} planes of {@code width * height} values in [0, 1], alpha composited over white. Grey
     * images are read from the raster itself (no colour-space conversion, which would change the grey levels).
     */
    static float[][] unitPlanes(BufferedImage img, int channels) {
        ColorModel cm = img.getColorModel();
        boolean grey = cm.getNumColorComponents() == 1 && img.getRaster().getNumBands() == cm.getNumComponents();
        float[][] planes = grey ? greyPlane(img) : rgbPlanes(img);
        if (channels == planes.length) {
            return planes;
        }
        return channels == 3 ? new float[][] {planes[0], planes[0], planes[0]} : new float[][] {luma(planes)};
    }

    private static float[][] greyPlane(BufferedImage img) {
        Raster raster = img.getRaster();
        ColorModel cm = img.getColorModel();
        int w = img.getWidth();
        int h = img.getHeight();
        float greyMax = (1 << raster.getSampleModel().getSampleSize(0)) - 1;
        int alphaBand = cm.hasAlpha() ? raster.getNumBands() - 1 : -1;
        float alphaMax = alphaBand < 0 ? 1 : (1 << raster.getSampleModel().getSampleSize(alphaBand)) - 1;
        float[] out = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float g = raster.getSample(x, y, 0) / greyMax;
                float a = alphaBand < 0 ? 1f : raster.getSample(x, y, alphaBand) / alphaMax;
                out[y * w + x] = cm.isAlphaPremultiplied() ? g + (1f - a) : over(g, a);
            }
        }
        return new float[][] {out};
    }

    private static float[][] rgbPlanes(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        boolean alpha = img.getColorModel().hasAlpha();
        float[][] planes = new float[3][w * h];
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            img.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int argb = row[x];
                float a = alpha ? (argb >>> 24) / 255f : 1f;
                planes[0][y * w + x] = over(((argb >> 16) & 0xff) / 255f, a);
                planes[1][y * w + x] = over(((argb >> 8) & 0xff) / 255f, a);
                planes[2][y * w + x] = over((argb & 0xff) / 255f, a);
            }
        }
        return planes;
    }

    /** Composites a non-premultiplied value with opacity {@code a} over white. */
    private static float over(float v, float a) {
        return a * v + (1f - a);
    }

    private static float[] luma(float[][] rgb) {
        float[] out = new float[rgb[0].length];
        for (int i = 0; i < out.length; i++) {
            out[i] = LUMA_R * rgb[0][i] + LUMA_G * rgb[1][i] + LUMA_B * rgb[2][i];
        }
        return out;
    }

    /** Builds an 8-bit grey (C = 1) or RGB (C = 3) image from a checked {@code [C, H, W]} tensor. */
    static BufferedImage toImage(Tensor chw, ValueRange range) {
        int c = chw.dim(0);
        int h = chw.dim(1);
        int w = chw.dim(2);
        int plane = h * w;
        float[] v = chw.data();
        if (c == 1) {
            BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
            WritableRaster raster = img.getRaster();
            for (int i = 0; i < plane; i++) {
                raster.setSample(i % w, i / w, 0, quantise(v[i], range));
            }
            return img;
        }
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] rgb = new int[plane];
        for (int i = 0; i < plane; i++) {
            int r = quantise(v[i], range);
            int g = quantise(v[plane + i], range);
            int b = quantise(v[2 * plane + i], range);
            rgb[i] = (r << 16) | (g << 8) | b;
        }
        img.setRGB(0, 0, w, h, rgb, 0, w);
        return img;
    }

    /** {@code floor(clamp(u, 0, 1) * 255 + 0.5)}; NaN maps to 0. */
    static int quantise(float value, ValueRange range) {
        float u = range.toUnit(value);
        if (!(u > 0f)) {
            return 0;
        }
        if (u >= 1f) {
            return 255;
        }
        return (int) Math.floor(u * 255.0 + 0.5);
    }
}
