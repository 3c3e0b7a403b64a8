package io.campanile.diffusion.ops;

import io.campanile.diffusion.tensor.Tensor;

/**
 * Separable Gaussian blur over the last two dimensions (H, W) of a tensor, matching
 * {@code torchvision.transforms.functional.gaussian_blur} with {@code sigma_x = sigma_y}: the kernel of
 * {@link #kernel1d(int, double)} and "reflect" padding of {@code kernelSize / 2} pixels on every side.
 *
 * <p>Used for the classical-denoising baseline and the low-pass filter of hybrid images (CS180 project 5).
 */
public final class GaussianBlur {

    private GaussianBlur() {}

    /**
     * Blurs every H x W plane of {@code x} (shape {@code [..., H, W]}, rank at least 2, e.g. CHW or NCHW).
     *
     * @param x the input; not modified
     * @param kernelSize odd and positive
     * @param sigma standard deviation in pixels, positive
     * @return a new tensor of the same shape
     * @throws IllegalArgumentException naming {@code kernel_size} or {@code sigma} when invalid, or for rank &lt; 2
     */
    public static Tensor blur(Tensor x, int kernelSize, double sigma) {
        float[] k = kernel1d(kernelSize, sigma);
        if (x.rank() < 2) {
            throw new IllegalArgumentException("gaussian blur needs a tensor of rank >= 2, got " + x.shapeString());
        }
        int h = x.dim(-2);
        int w = x.dim(-1);
        int plane = h * w;
        float[] in = x.data();
        float[] out = new float[in.length];
        float[] tmp = new float[plane];
        for (int off = 0; off < in.length; off += plane) {
            blurRows(in, off, tmp, w, k);
            blurColumns(tmp, out, off, w, k);
        }
        return new Tensor(x.shape(), out);
    }

    /**
     * The normalised 1-D Gaussian kernel of torchvision's {@code _get_gaussian_kernel1d}: {@code x = linspace(-(k - 1)
     * / 2, (k - 1) / 2, k)}, {@code pdf = exp(-0.5 (x / sigma)^2)}, divided by its sum.
     *
     * @throws IllegalArgumentException naming {@code kernel_size} or {@code sigma} when invalid
     */
    public static float[] kernel1d(int k, double sigma) {
        if (k <= 0 || k % 2 == 0) {
            throw new IllegalArgumentException("kernel_size: must be odd and positive, got " + k);
        }
        if (!(sigma > 0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("sigma: must be positive and finite, got " + sigma);
        }
        double half = (k - 1) / 2.0;
        double[] pdf = new double[k];
        double sum = 0;
        for (int i = 0; i < k; i++) {
            double xi = i - half;
            pdf[i] = Math.exp(-0.5 * (xi / sigma) * (xi / sigma));
            sum += pdf[i];
        }
        float[] kernel = new float[k];
        for (int i = 0; i < k; i++) {
            kernel[i] = (float) (pdf[i] / sum);
        }
        return kernel;
    }

    /** Horizontal pass: {@code tmp[y][x] = sum_j k[j] in[y][reflect(x + j - r)]}. */
    private static void blurRows(float[] in, int off, float[] tmp, int w, float[] k) {
        int h = tmp.length / w;
        int r = k.length / 2;
        for (int y = 0; y < h; y++) {
            int row = off + y * w;
            for (int x = 0; x < w; x++) {
                double acc = 0;
                for (int j = 0; j < k.length; j++) {
                    acc += k[j] * in[row + reflect(x + j - r, w)];
                }
                tmp[y * w + x] = (float) acc;
            }
        }
    }

    /** Vertical pass: {@code out[y][x] = sum_j k[j] tmp[reflect(y + j - r)][x]}. */
    private static void blurColumns(float[] tmp, float[] out, int off, int w, float[] k) {
        int h = tmp.length / w;
        int r = k.length / 2;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double acc = 0;
                for (int j = 0; j < k.length; j++) {
                    acc += k[j] * tmp[reflect(y + j - r, h) * w + x];
                }
                out[off + y * w + x] = (float) acc;
            }
        }
    }

    /**
     * Maps an index outside {@code [0, n)} back inside by mirroring about the edge pixels without repeating them
     * ({@code -1 -> 1}, {@code n -> n - 2}), like numpy's "reflect" and torch's reflection padding. Pads wider than
     * the image (which torch rejects) reflect repeatedly; a dimension of length 1 maps everything to 0.
     */
    static int reflect(int i, int n) {
        if (n == 1) {
            return 0;
        }
        int period = 2 * (n - 1);
        int m = Math.floorMod(i, period);
        return m < n ? m : period - m;
    }
}
