package io.campanile.trainer.mnist;

/**
 * MNIST images and labels in memory.
 *
 * @param images n * 28 * 28 pixels in [0, 1], row-major per image
 * @param labels n digit labels 0..9
 */
public record MnistDataset(float[] images, byte[] labels) {
    public static final int SIZE = 28;
    public static final int PIXELS = SIZE * SIZE;

    public MnistDataset {
        if (images.length != labels.length * PIXELS) {
            throw new IllegalArgumentException(images.length + " pixels for " + labels.length + " labels");
        }
    }

    public int size() {
        return labels.length;
    }

    /** The first {@code n} images (or all when n is larger or not positive). */
    public MnistDataset head(int n) {
        if (n <= 0 || n >= size()) {
            return this;
        }
        float[] img = new float[n * PIXELS];
        System.arraycopy(images, 0, img, 0, img.length);
        byte[] lab = new byte[n];
        System.arraycopy(labels, 0, lab, 0, n);
        return new MnistDataset(img, lab);
    }

    /** Copies image {@code i} into {@code dst} at {@code offset}. */
    public void copyImage(int i, float[] dst, int offset) {
        System.arraycopy(images, i * PIXELS, dst, offset, PIXELS);
    }
}
