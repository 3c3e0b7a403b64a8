package io.campanile.trainer.service;

import io.campanile.diffusion.image.ContactSheet;
import io.campanile.diffusion.image.ValueRange;
import io.campanile.diffusion.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A part-B figure as the writeup draws it: digits in a grid, each shown 4x (112 px), with a title per row and a
 * caption per digit (sigma, t, class, epoch). It is stored as a labelled PNG, and as the raw grid ({@link Grid}) for
 * programs that read the digits.
 */
final class Figure {
    /** Each 28 px digit is drawn at 4x. */
    static final int CELL = 4 * Grid.S;

    private final int cols;
    private final List<ContactSheet.Row> rows = new ArrayList<>();
    private final List<float[]> digits = new ArrayList<>();

    Figure(int cols) {
        this.cols = cols;
    }

    /**
     * Adds a row of digits.
     *
     * @param images the row's digits [cols, 1, 28, 28] flattened, from {@code offset}
     * @param captions one per digit, or null entries for none
     */
    Figure row(String title, float[] images, int offset, List<String> captions) {
        int px = Grid.S * Grid.S;
        List<ContactSheet.Cell> cells = new ArrayList<>();
        for (int k = 0; k < cols; k++) {
            float[] d = Arrays.copyOfRange(images, offset + k * px, offset + (k + 1) * px);
            for (int i = 0; i < d.length; i++) {
                d[i] = Math.max(0f, Math.min(1f, d[i]));
            }
            digits.add(d);
            cells.add(new ContactSheet.Cell(
                    new Tensor(new int[] {1, Grid.S, Grid.S}, d), ValueRange.ZERO_ONE, captions.get(k)));
        }
        rows.add(new ContactSheet.Row(title, cells));
        return this;
    }

    /** Stores the figure under {@code role}. */
    void emit(TrainingSink sink, String role) {
        float[] all = new float[digits.size() * Grid.S * Grid.S];
        for (int i = 0; i < digits.size(); i++) {
            System.arraycopy(digits.get(i), 0, all, i * Grid.S * Grid.S, Grid.S * Grid.S);
        }
        sink.figure(role, ContactSheet.png(rows, CELL), Grid.of(all, rows.size(), cols));
    }

    /** The same caption format for every cell of a row: {@code label + value}. */
    static List<String> captions(String label, double... values) {
        List<String> out = new ArrayList<>();
        for (double v : values) {
            out.add(label + (v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v)));
        }
        return out;
    }

    /** The same caption for n cells. */
    static List<String> repeat(String caption, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(caption);
        }
        return out;
    }
}
