package io.campanile.onnx.inference;

import io.campanile.diffusion.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.function.IntFunction;

/**
 * Direct buffers in native order: ONNX Runtime wraps them without copying, so a call costs one copy in (Java array to
 * buffer) and one copy out (the output buffer, pinned as the graph's output, to the result array).
 */
final class Buffers {
    private Buffers() {}

    static FloatBuffer floats(long n) {
        return ByteBuffer.allocateDirect(Math.toIntExact(n * Float.BYTES))
                .order(ByteOrder.nativeOrder())
                .asFloatBuffer();
    }

    static LongBuffer longs(long n) {
        return ByteBuffer.allocateDirect(Math.toIntExact(n * Long.BYTES))
                .order(ByteOrder.nativeOrder())
                .asLongBuffer();
    }

    /**
     * Fails on the first NaN or infinity of {@code out} [B, ...].
     *
     * @param context where the value came from, by batch item: e.g. {@code "at timestep 990 (out_sample"}
     */
    static void requireFinite(String pack, Tensor out, IntFunction<String> context) {
        float[] data = out.data();
        for (int i = 0; i < data.length; i++) {
            if (!Float.isFinite(data[i])) {
                int perItem = data.length / out.dim(0);
                String what = Float.isNaN(data[i]) ? "NaN" : "infinity";
                throw new NonFiniteOutputException(
                        "pack " + pack + " produced " + what + " " + context.apply(i / perItem) + ", batch item "
                                + i / perItem + ", element " + i % perItem + " of "
                                + out.shapeString() + ")");
            }
        }
    }

    /** The shape as ONNX Runtime wants it. */
    static long[] shape(int... dims) {
        long[] s = new long[dims.length];
        for (int i = 0; i < dims.length; i++) {
            s[i] = dims[i];
        }
        return s;
    }
}
