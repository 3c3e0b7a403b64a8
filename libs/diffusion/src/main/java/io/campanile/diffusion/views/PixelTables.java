package io.campanile.diffusion.views;

import java.util.Random;

/**
 * Gather tables of the built-in views over one {@code H x W} plane, row-major: output pixel {@code (y, x)} takes the
 * input pixel at index {@code table[y * W + x]}.
 */
final class PixelTables {

    /**
     * The jigsaw's pieces: output quadrant {@code q} (0 top-left, 1 top-right, 2 bottom-left, 3 bottom-right) shows
     * input quadrant {@code JIGSAW_SOURCE[q]} turned {@code JIGSAW_TURNS[q]} quarter turns counter-clockwise. The
     * quadrants move one place clockwise (top-left to top-right to bottom-right to bottom-left) and each piece turns
     * a quarter counter-clockwise, so the result is not a rotation of the whole image.
     */
    private static final int[] JIGSAW_SOURCE = {2, 0, 3, 1};

    private static final int[] JIGSAW_TURNS = {1, 1, 1, 1};

    private PixelTables() {}

    static int[] identity(int h, int w) {
        int[] t = new int[h * w];
        for (int p = 0; p < t.length; p++) {
            t[p] = p;
        }
        return t;
    }

    /** Upside down: {@code out[y][x] = in[H - 1 - y][x]}. */
    static int[] flip(int h, int w) {
        int[] t = new int[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                t[y * w + x] = (h - 1 - y) * w + x;
            }
        }
        return t;
    }

    /** Left-right: {@code out[y][x] = in[y][W - 1 - x]}. */
    static int[] mirror(int h, int w) {
        int[] t = new int[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                t[y * w + x] = y * w + (w - 1 - x);
            }
        }
        return t;
    }

    /** {@code k} quarter turns counter-clockwise, as {@code torch.rot90(x, k, dims=(-2, -1))}; needs H == W. */
    static int[] rotation(String view, int k, int h, int w) {
        requireSquare(view, h, w);
        int[] t = new int[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                t[y * w + x] = turnedSource(k, y, x, h, 0, 0, w);
            }
        }
        return t;
    }

    /**
     * The input index shown at {@code (y, x)} of an {@code n x n} block turned {@code k} quarter turns
     * counter-clockwise, the block's input origin being {@code (oy, ox)} in a plane of width {@code w}. For k = 1:
     * {@code out[y][x] = in[x][n - 1 - y]} ({@code torch.rot90} = transpose of the left-right mirror).
     */
    private static int turnedSource(int k, int y, int x, int n, int oy, int ox, int w) {
        return switch (Math.floorMod(k, 4)) {
            case 0 -> (oy + y) * w + ox + x;
            case 1 -> (oy + x) * w + ox + (n - 1 - y);
            case 2 -> (oy + n - 1 - y) * w + ox + (n - 1 - x);
            default -> (oy + n - 1 - x) * w + ox + y;
        };
    }

    /**
     * The {@code p x p} patches (row-major, {@code count = (H / p) (W / p)}) permuted: output patch {@code i} shows
     * input patch {@code perm[i]}. {@code perm} is a Fisher–Yates shuffle of {@code 0 .. count - 1} (for {@code i}
     * from {@code count - 1} down to 1, swap {@code i} with {@code Random(count).nextInt(i + 1)}); the JDK
     * specifies {@code Random}'s algorithm, so the permutation is fixed for a given patch count.
     */
    static int[] patchShuffle(String view, int p, int h, int w) {
        if (h % p != 0 || w % p != 0) {
            throw new IllegalArgumentException(
                    "views: " + view + " needs H and W divisible by " + p + ", got " + h + " x " + w);
        }
        int cols = w / p;
        int[] perm = shuffled((h / p) * cols);
        int[] t = new int[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int src = perm[(y / p) * cols + x / p];
                t[y * w + x] = ((src / cols) * p + y % p) * w + (src % cols) * p + x % p;
            }
        }
        return t;
    }

    private static int[] shuffled(int count) {
        int[] perm = identity(1, count);
        Random random = new Random(count);
        for (int i = count - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = perm[i];
            perm[i] = perm[j];
            perm[j] = tmp;
        }
        return perm;
    }

    /** See {@link #JIGSAW_SOURCE}; needs H == W, even. */
    static int[] jigsaw(String view, int h, int w) {
        requireSquare(view, h, w);
        if (h % 2 != 0) {
            throw new IllegalArgumentException("views: " + view + " needs an even size, got " + h + " x " + w);
        }
        int m = h / 2;
        int[] t = new int[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int q = (y / m) * 2 + x / m;
                int src = JIGSAW_SOURCE[q];
                t[y * w + x] = turnedSource(JIGSAW_TURNS[q], y % m, x % m, m, (src / 2) * m, (src % 2) * m, w);
            }
        }
        return t;
    }

    private static void requireSquare(String view, int h, int w) {
        if (h != w) {
            throw new IllegalArgumentException("views: " + view + " needs a square image, got " + h + " x " + w);
        }
    }
}
