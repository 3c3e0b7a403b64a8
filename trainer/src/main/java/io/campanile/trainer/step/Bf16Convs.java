package io.campanile.trainer.step;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The step's convolutions and transposed convolutions in bfloat16 (mixed precision) on oneDNN's primitives: the
 * layer's input, its weights and its output gradient are rounded to bfloat16; the products accumulate in float; the
 * output, the input gradient and the weight and bias gradients are float. The master weights, Adam, batch norm,
 * GELU and the loss stay float. The forward keeps the input's bfloat16 copy (an array of the pool) for the weight
 * gradient. One set of primitives per layer shape, the forward's made at the shape's first forward and the
 * backward's at its first backward (a forward-only call makes none); {@link #recycle} drops the shapes the last call
 * did not use, as the pool does. Layouts as {@link NdConv}: NHWC activations, convolution weights [kH, kW, in, out],
 * transposed-convolution weights [kH, kW, out, in].
 */
final class Bf16Convs implements AutoCloseable {
    private final Dnnl dnnl = new Dnnl();
    private final ArrayPool pool;
    private final Map<Bf16Layer.Shape, Bf16Layer> layers = new HashMap<>();
    private final Set<Bf16Layer.Shape> used = new HashSet<>();

    Bf16Convs(ArrayPool pool) {
        if (!Dnnl.hasBf16()) {
            throw new IllegalStateException("precision bf16 needs a CPU with bfloat16 instructions (AVX512_BF16 or "
                    + "AMX); this one has none, train in fp32");
        }
        this.pool = pool;
    }

    /**
     * out = op(x, w) + b; returns the bfloat16 copy of x for {@link #backward}: an array lent by the pool when
     * {@code keep}, else the pool's scratch array of its shape (inference: no backward follows). All arrays whole
     * c-order float arrays.
     */
    INDArray forward(NdConv.Op op, INDArray x, INDArray w, INDArray b, INDArray out, boolean keep) {
        Bf16Layer l = layer(op, x, out);
        INDArray xb = keep ? pool.array(DataType.BFLOAT16, x.shape()) : pool.scratch(DataType.BFLOAT16, x.shape());
        Dnnl.bind(l.x, x);
        Dnnl.bind(l.xb, xb);
        l.toBf16x.run();
        Dnnl.bind(l.wUser, w);
        l.toFwdWeights.run();
        Dnnl.bind(l.bias, b);
        Dnnl.bind(l.y, out);
        l.forward.run();
        return xb;
    }

    /** Writes dL/dx, dL/dw and dL/db from dL/dout; xb is what {@link #forward} returned for this call. */
    void backward(
            NdConv.Op op, INDArray xb, INDArray w, INDArray gradOut, INDArray gradIn, INDArray gradW, INDArray gradB) {
        Bf16Layer l = layer(op, gradIn, gradOut);
        Bf16Layer.Backward bw = l.backward();
        Dnnl.bind(bw.g, gradOut);
        bw.toBf16g.run();
        Dnnl.bind(l.wUser, w);
        bw.toBwdWeights.run();
        Dnnl.bind(bw.gx, gradIn);
        bw.data.run();
        Dnnl.bind(l.xb, xb);
        Dnnl.bind(bw.gb, gradB);
        if (bw.fromDiffWeights != null) {
            bw.weights.run();
            Dnnl.bind(l.wUser, gradW);
            bw.fromDiffWeights.run();
        } else {
            Dnnl.bind(bw.gw, gradW);
            bw.weights.run();
        }
    }

    /** Drops the primitives of shapes the calls since the last recycle did not use. */
    void recycle() {
        layers.entrySet().removeIf(e -> {
            if (used.contains(e.getKey())) {
                return false;
            }
            e.getValue().scope.close();
            return true;
        });
        used.clear();
    }

    /** Bytes of the buffers the primitives own: bfloat16 weights and output gradients, per layer shape. */
    long ownedBytes() {
        return layers.values().stream().mapToLong(l -> l.scope.ownedBytes()).sum();
    }

    private Bf16Layer layer(NdConv.Op op, INDArray x, INDArray out) {
        Bf16Layer.Shape s;
        if (op instanceof NdConv.Conv c) {
            s = new Bf16Layer.Shape(
                    false, c.k(), c.stride(), c.pad(), x.size(0), x.size(1), x.size(2), x.size(3), out.size(3));
        } else if (op instanceof NdConv.Deconv d) {
            s = new Bf16Layer.Shape(
                    true, d.k(), d.stride(), d.pad(), x.size(0), x.size(1), x.size(2), x.size(3), out.size(3));
        } else {
            throw new IllegalArgumentException("not a convolution: " + op);
        }
        used.add(s);
        return layers.computeIfAbsent(s, k -> new Bf16Layer(dnnl, k));
    }

    /**
     * GFLOP/s of a 3 x 3 convolution over {@code batch} images of 28 x 28 x 64 channels into 64 (the UNet's main
     * layer), its input's and weights' conversion to bfloat16 included, best of {@code reps}; NaN on a CPU without
     * bfloat16 instructions.
     */
    static double forwardGflops(int batch, int reps) {
        if (!Dnnl.hasBf16()) {
            return Double.NaN;
        }
        try (ArrayPool pool = new ArrayPool();
                Bf16Convs convs = new Bf16Convs(pool)) {
            INDArray x = pool.array(batch, 28, 28, 64).assign(0.5);
            INDArray w = pool.array(3, 3, 64, 64).assign(0.01);
            INDArray b = pool.array(64).assign(0);
            INDArray out = pool.array(batch, 28, 28, 64);
            NdConv.Conv op = new NdConv.Conv(3, 1, 1);
            convs.forward(op, x, w, b, out, false);
            long best = Long.MAX_VALUE;
            for (int i = 0; i < reps; i++) {
                long t0 = System.nanoTime();
                convs.forward(op, x, w, b, out, false);
                best = Math.min(best, System.nanoTime() - t0);
            }
            return 2.0 * 9 * 64 * 64 * 28 * 28 * batch / best;
        }
    }

    @Override
    public void close() {
        layers.values().forEach(l -> l.scope.close());
        layers.clear();
        dnnl.close();
    }
}
