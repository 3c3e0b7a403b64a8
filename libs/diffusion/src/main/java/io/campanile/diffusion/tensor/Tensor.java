package io.campanile.diffusion.tensor;

import java.util.Arrays;
import java.util.List;

/**
 * A dense float tensor in row-major (C) order with an immutable shape.
 *
 * <p>The shape never changes after construction; the values may. {@link #data()} returns the backing array itself, so
 * callers can fill or read it without copying, and {@link #reshape(int...)} returns a view over the same array. Use
 * {@link #copy()} for an independent tensor.
 *
 * <p>Shape errors always print both shapes, e.g. {@code sample: expected shape [2, 3, 64, 64] but got [2, 3, 32, 32]}.
 */
public final class Tensor {

    private final int[] shape;
    private final float[] data;

    /**
     * Wraps {@code data} (not copied) with the given shape.
     *
     * @param shape the dimensions, each {@code >= 0}; an empty shape is a scalar holding one value
     * @param data the values in row-major order; its length must equal the product of {@code shape}
     * @throws IllegalArgumentException if a dimension is negative or the data length does not match the shape
     */
    public Tensor(int[] shape, float[] data) {
        if (shape == null || data == null) {
            throw new IllegalArgumentException("shape and data must not be null");
        }
        this.shape = shape.clone();
        long expected = product(this.shape);
        if (expected != data.length) {
            throw new IllegalArgumentException("data length " + data.length + " does not match shape "
                    + Arrays.toString(this.shape) + " (product " + expected + ")");
        }
        this.data = data;
    }

    /** Returns a tensor of the given shape filled with zeros. */
    public static Tensor zeros(int... shape) {
        long n = product(shape);
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has too many elements: " + n);
        }
        return new Tensor(shape, new float[(int) n]);
    }

    /** Returns a copy of the shape. */
    public int[] shape() {
        return shape.clone();
    }

    /** Returns the backing array (not a copy): writes are visible through this tensor and its reshaped views. */
    public float[] data() {
        return data;
    }

    /** Returns the number of elements. */
    public int size() {
        return data.length;
    }

    /** Returns the number of dimensions. */
    public int rank() {
        return shape.length;
    }

    /**
     * Returns dimension {@code i}; a negative {@code i} counts from the end ({@code dim(-1)} is the last dimension).
     */
    public int dim(int i) {
        int k = i < 0 ? shape.length + i : i;
        if (k < 0 || k >= shape.length) {
            throw new IndexOutOfBoundsException("dimension " + i + " out of range for shape " + shapeString());
        }
        return shape[k];
    }

    /**
     * Returns a view with a new shape over the same data. At most one dimension may be {@code -1}, which is inferred.
     *
     * @throws IllegalArgumentException if the element count differs
     */
    public Tensor reshape(int... newShape) {
        int[] resolved = newShape.clone();
        int inferred = -1;
        long known = 1;
        for (int i = 0; i < resolved.length; i++) {
            if (resolved[i] == -1 && inferred < 0) {
                inferred = i;
            } else {
                known *= checkDim(resolved, i);
            }
        }
        if (inferred >= 0 && known > 0 && data.length % known == 0) {
            resolved[inferred] = (int) (data.length / known);
        }
        if (product(resolved) != data.length) {
            throw new IllegalArgumentException("cannot reshape " + shapeString() + " to " + Arrays.toString(newShape));
        }
        return new Tensor(resolved, data);
    }

    /** Item {@code i} of a batch [N, ...] as its own tensor of the remaining dimensions (a copy). */
    public Tensor item(int i) {
        int plane = size() / shape[0];
        float[] out = new float[plane];
        System.arraycopy(data, i * plane, out, 0, plane);
        return new Tensor(Arrays.copyOfRange(shape, 1, shape.length), out);
    }

    /** Stacks tensors of one shape into a batch [N, ...]. */
    public static Tensor stack(List<Tensor> items) {
        Tensor first = items.get(0);
        float[] out = new float[first.size() * items.size()];
        for (int i = 0; i < items.size(); i++) {
            System.arraycopy(items.get(i).data(), 0, out, i * first.size(), first.size());
        }
        int[] shape = new int[first.rank() + 1];
        shape[0] = items.size();
        System.arraycopy(first.shape(), 0, shape, 1, first.rank());
        return new Tensor(shape, out);
    }

    /** Returns a deep copy (new backing array). */
    public Tensor copy() {
        return new Tensor(shape, data.clone());
    }

    /**
     * Checks that this tensor has exactly the {@code expected} shape.
     *
     * @param name what the tensor is, used in the message (e.g. {@code "sample"})
     * @throws IllegalArgumentException naming {@code name} and printing both shapes
     */
    public void requireShape(String name, int... expected) {
        if (!Arrays.equals(shape, expected)) {
            throw new IllegalArgumentException(
                    name + ": expected shape " + Arrays.toString(expected) + " but got " + shapeString());
        }
    }

    /**
     * Checks that two tensors have the same shape.
     *
     * @throws IllegalArgumentException printing both shapes
     */
    public static void requireSameShape(Tensor a, Tensor b) {
        if (!Arrays.equals(a.shape, b.shape)) {
            throw new IllegalArgumentException("shape mismatch: " + a.shapeString() + " vs " + b.shapeString());
        }
    }

    /** Returns the shape as text, e.g. {@code [3, 64, 64]}. */
    public String shapeString() {
        return Arrays.toString(shape);
    }

    @Override
    public String toString() {
        return "Tensor" + shapeString();
    }

    private static long product(int[] shape) {
        long n = 1;
        for (int i = 0; i < shape.length; i++) {
            n *= checkDim(shape, i);
        }
        return n;
    }

    private static int checkDim(int[] shape, int i) {
        if (shape[i] < 0) {
            throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
        }
        return shape[i];
    }
}
