package io.campanile.onnx.inference;

import io.campanile.diffusion.tensor.Tensor;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Direct buffers for one batch shape of a {@link UnetModel}: {@code rows} rows over {@code samples} distinct
 * samples, filled from one call or from several merged ones (each part's rows after the previous part's), and read
 * back per part. The conditioning rows rarely change between steps (megabytes of T5 states), so a part's conditioning
 * is copied only when a different tensor comes in at its rows; callers never modify a conditioning tensor they pass
 * again.
 */
final class UnetFeeds {
    final int rows;
    final int samples;
    final FloatBuffer sample;
    final LongBuffer index;
    final LongBuffer timestep;
    final FloatBuffer conditioning;
    final LongBuffer labels;
    final FloatBuffer out;
    private final UnetSignature signature;
    private final int plane;
    private final int outPlane;
    /** Per first row, the conditioning tensor copied there and how many rows it covers. */
    private final Tensor[] conditioningAt;

    private final int[] conditioningRows;

    UnetFeeds(UnetSignature signature, int outChannels, int rows, int samples) {
        this.signature = signature;
        this.rows = rows;
        this.samples = samples;
        this.plane = signature.sampleChannels() * signature.size() * signature.size();
        this.outPlane = outChannels * signature.size() * signature.size();
        long c = signature.conditioningLength(rows);
        this.sample = Buffers.floats((long) samples * plane);
        this.index = signature.sharedEncoder() ? Buffers.longs(rows) : null;
        this.timestep = Buffers.longs(rows);
        this.conditioning = c == 0 ? null : Buffers.floats(c);
        this.labels = signature.upscaler() ? Buffers.longs(rows) : null;
        this.out = Buffers.floats((long) rows * outPlane);
        this.conditioningAt = new Tensor[rows];
        this.conditioningRows = new int[rows];
    }

    /** The rows the graph sees for these parts, and the distinct samples it takes (rows unless it shares). */
    static int[] shape(UnetSignature signature, List<UnetInput> parts) {
        int rows = 0;
        int samples = 0;
        for (UnetInput p : parts) {
            rows += p.batch();
            samples += p.samples();
        }
        return new int[] {rows, signature.sharedEncoder() ? samples : rows};
    }

    /** Copies the parts in, one after another. */
    void fill(List<UnetInput> parts) {
        int row = 0;
        int first = 0; // the part's first sample in the feeds
        for (UnetInput p : parts) {
            fillSamples(p, row, first);
            timestep.put(row, p.timesteps());
            if (conditioning != null) {
                fillConditioning(p.conditioning(), row, p.batch());
            }
            if (labels != null) {
                labels.put(row, p.classLabels());
            }
            row += p.batch();
            first += signature.sharedEncoder() ? p.samples() : p.batch();
        }
    }

    /** Each part's rows of the output. */
    List<Tensor> read(List<UnetInput> parts, int outChannels) {
        List<Tensor> results = new ArrayList<>(parts.size());
        int row = 0;
        int size = signature.size();
        for (UnetInput p : parts) {
            Tensor t = Tensor.zeros(p.batch(), outChannels, size, size);
            out.get(row * outPlane, t.data());
            results.add(t);
            row += p.batch();
        }
        return results;
    }

    /**
     * The part's samples: as they come when its rows do not share them or the graph takes the index (the index
     * shifted to the part's first sample); else each row's sample copied out.
     */
    private void fillSamples(UnetInput p, int row, int first) {
        float[] data = p.sample().data();
        long[] rowIndex = p.sampleIndex();
        if (rowIndex == null || signature.sharedEncoder()) {
            sample.put(first * plane, data, 0, p.samples() * plane);
            if (index != null) {
                for (int i = 0; i < p.batch(); i++) {
                    index.put(row + i, first + (rowIndex != null ? rowIndex[i] : i));
                }
            }
            return;
        }
        for (int i = 0; i < rowIndex.length; i++) {
            sample.put((row + i) * plane, data, Math.toIntExact(rowIndex[i] * plane), plane);
        }
    }

    private void fillConditioning(Tensor c, int row, int n) {
        if (conditioningAt[row] == c && conditioningRows[row] == n) {
            return;
        }
        int perRow = (int) signature.conditioningLength(1);
        conditioning.put(row * perRow, c.data(), 0, n * perRow);
        for (int r = 0; r < rows; r++) { // forget what the copy overwrote
            if (conditioningAt[r] != null && r < row + n && r + conditioningRows[r] > row) {
                conditioningAt[r] = null;
            }
        }
        conditioningAt[row] = c;
        conditioningRows[row] = n;
    }
}
