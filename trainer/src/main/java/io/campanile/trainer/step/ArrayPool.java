package io.campanile.trainer.step;

import java.nio.FloatBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The arrays of a training step's calls: activations, their gradients and the weight gradients, lent out during a
 * call and reused by the next one of the same shapes. Not thread-safe.
 */
final class ArrayPool implements AutoCloseable {
    private final Map<List<Long>, ArrayDeque<INDArray>> free = new HashMap<>();
    private final List<INDArray> lent = new ArrayList<>();
    /** Scratch arrays by shape: one each, reused by every call that asks for that shape (never lent). */
    private final Map<List<Long>, INDArray> scratch = new HashMap<>();

    /** An uninitialised c-order float array of this shape, reused from earlier calls when one is free. */
    INDArray array(long... shape) {
        return array(DataType.FLOAT, shape);
    }

    /** An uninitialised c-order array of this type and shape, reused from earlier calls when one is free. */
    INDArray array(DataType type, long... shape) {
        ArrayDeque<INDArray> q = free.get(key(type, shape));
        INDArray a = q == null || q.isEmpty() ? Nd4j.createUninitialized(type, shape, 'c') : q.pop();
        lent.add(a);
        return a;
    }

    /**
     * A c-order float array of this shape that is this pool's scratch space for the shape: the same array on every
     * call, so its contents last only until the next caller of the shape (for work that ends before that).
     */
    INDArray scratch(long... shape) {
        return scratch(DataType.FLOAT, shape);
    }

    /** {@link #scratch(long...)} of another type. */
    INDArray scratch(DataType type, long... shape) {
        return scratch.computeIfAbsent(key(type, shape), k -> Nd4j.createUninitialized(type, shape, 'c'));
    }

    /** A type and shape as a key. */
    private static List<Long> key(DataType type, long[] shape) {
        List<Long> k = new ArrayList<>(shape.length + 1);
        k.add((long) type.ordinal());
        Arrays.stream(shape).forEach(k::add);
        return k;
    }

    private static List<Long> key(INDArray a) {
        return key(a.dataType(), a.shape());
    }

    /**
     * Takes back the last call's arrays. Arrays of shapes the last call did not use (another batch size: an epoch's
     * last batch, sampling between epochs) are freed, so the pool holds at most two calls' worth.
     */
    void recycle() {
        Set<List<Long>> used = new HashSet<>();
        for (INDArray a : lent) {
            used.add(key(a));
        }
        free.entrySet().removeIf(e -> {
            if (used.contains(e.getKey())) {
                return false;
            }
            e.getValue().forEach(ArrayPool::close);
            return true;
        });
        for (INDArray a : lent) {
            free.computeIfAbsent(key(a), k -> new ArrayDeque<>()).push(a);
        }
        lent.clear();
    }

    private static void close(INDArray a) {
        if (a.closeable()) {
            a.close();
        }
    }

    /** Bytes of the arrays this pool holds, lent and free (the training-memory estimate is tested against it). */
    long bytes() {
        long bytes = lent.stream().mapToLong(ArrayPool::bytes).sum();
        bytes += scratch.values().stream().mapToLong(ArrayPool::bytes).sum();
        for (ArrayDeque<INDArray> q : free.values()) {
            bytes += q.stream().mapToLong(ArrayPool::bytes).sum();
        }
        return bytes;
    }

    private static long bytes(INDArray a) {
        return a.length() * a.dataType().width();
    }

    /** The whole backing buffer of a fresh c-order array (as the kernels take them). */
    static FloatBuffer buffer(INDArray a) {
        if (a.isView() || a.ordering() != 'c' || a.offset() != 0 || a.dataType() != DataType.FLOAT) {
            throw new IllegalArgumentException("kernel arrays must be whole c-order float arrays");
        }
        return a.data().asNioFloat();
    }

    /** Frees every array, lent or free. */
    @Override
    public void close() {
        recycle();
        free.values().forEach(q -> q.forEach(ArrayPool::close));
        free.clear();
        scratch.values().forEach(ArrayPool::close);
        scratch.clear();
    }
}
