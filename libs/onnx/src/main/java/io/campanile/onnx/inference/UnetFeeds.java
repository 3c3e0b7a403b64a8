package io.campanile.onnx.inference;

import io.campanile.diffusion.tensor.Tensor;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Direct buffers of a {@link UnetModel}, for up to {@code capacity} rows over as many distinct samples: each call uses
 * their first {@code rows} rows over {@code samples} samples ({@link #use}), so merged calls whose size changes from
 * step to step allocate nothing. They are filled from one call or from several merged ones (each part's rows after the
 * previous part's), and read back per part. The conditioning rows rarely change between steps (megabytes of T5 states), so a part's conditioning
 * is copied only when a different tensor comes in at its rows; callers never modify a conditioning tensor they pass
 * again.
 */
final class UnetFeeds {
    final int capacity;
    private int rows;
    private int samples;
    private final FloatBuffer sample;
    private final LongBuffer index;
    private final LongBuffer timestep;
    private final FloatBuffer conditioning;
    private final LongBuffer labels;
    private final FloatBuffer out;
    private final UnetSignature signature;
    private final int plane;
    private final int outPlane;
    /** Per first row, the conditioning tensor copied there and how many rows it covers. */
    private final Tensor[] conditioningAt;

    private final int[] conditioningRows;

    UnetFeeds(UnetSignature signature, int outChannels, int capacity) {
        this.signature = signature;
        this.capacity = capacity;
        int rows = capacity;
        int samples = capacity;
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

    /** The next call's rows and distinct samples, at most {@link #capacity} each. */
    void use(int rows, int samples) {
        if (rows > capacity || samples > capacity) {
            throw new IllegalArgumentException(rows + " rows over " + samples + " samples exceed " + capacity);
        }
        this.rows = rows;
        this.samples = samples;
    }

    FloatBuffer sample() {
        return sample.duplicate().limit(samples * plane);
    }

    LongBuffer index() {
        return index.duplicate().limit(rows);
    }

    LongBuffer timestep() {
        return timestep.duplicate().limit(rows);
    }

    FloatBuffer conditioning() {
        return conditioning.duplicate().limit(rows * (int) signature.conditioningLength(1));
    }

    LongBuffer labels() {
        return labels.duplicate().limit(rows);
    }

    FloatBuffer out() {
        return out.duplicate().limit(rows * outPlane);
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
        for (int r = 0; r < capacity; r++) { // forget what the copy overwrote
            if (conditioningAt[r] != null && r < row + n && r + conditioningRows[r] > row) {
                conditioningAt[r] = null;
            }
        }
        conditioningAt[row] = c;
        conditioningRows[row] = n;
    }
}
