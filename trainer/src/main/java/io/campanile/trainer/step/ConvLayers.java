package io.campanile.trainer.step;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import io.campanile.trainer.step.StepTimer.Phase;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The step's convolutions and transposed convolutions, forward now and backward on the tape, into arrays from the
 * pool; timed as CONV_FORWARD and CONV_BACKWARD. In float32 on ND4J's kernels ({@link NdConv}) and the backward
 * passes written out here; in bfloat16 on oneDNN's primitives ({@link Bf16Convs}) when {@link #precision} says so.
 */
final class ConvLayers implements AutoCloseable {
    private final ArrayPool pool;
    private final Tape tape;
    private final StepTimer timer;
    private final Gradients params;
    /** The bfloat16 primitives; null in float32. */
    private Bf16Convs bf16;
    /** Whether a backward follows (training): the bfloat16 forward then keeps its inputs' copies. */
    private boolean keepInputs = true;

    ConvLayers(ArrayPool pool, Tape tape, StepTimer timer, Gradients params) {
        this.pool = pool;
        this.tape = tape;
        this.timer = timer;
        this.params = params;
    }

    /** Runs the next calls' convolutions in bfloat16 (mixed precision) or, when false, float32. */
    void precision(boolean bfloat16) {
        if (bfloat16 && bf16 == null) {
            bf16 = new Bf16Convs(pool);
        } else if (!bfloat16 && bf16 != null) {
            bf16.close();
            bf16 = null;
        }
    }

    /** Whether the next calls are trained (a backward follows) or inference only. */
    void keepInputs(boolean keep) {
        keepInputs = keep;
    }

    /** Drops the bfloat16 primitives of layer shapes the last call did not use (as the pool drops its arrays). */
    void recycle() {
        if (bf16 != null) {
            bf16.recycle();
        }
    }

    /** Bytes of the buffers the bfloat16 primitives own (weights and output gradients per layer shape). */
    long ownedBytes() {
        return bf16 == null ? 0 : bf16.ownedBytes();
    }

    /** A convolution or transposed convolution {@code name} (weights {@code <name>_W}, {@code <name>_b}). */
    Node conv(String name, NdConv.Op op, Node x) {
        long start = System.nanoTime();
        INDArray w = params.weight(name + "_W");
        INDArray bias = params.weight(name + "_b");
        long[] s = x.value.shape();
        Node out = new Node(pool.array(s[0], op.outSize(s[1]), op.outSize(s[2]), op.outChannels(w)));
        INDArray saved = forward(op, x.value, w, bias, out.value);
        timer.add(Phase.CONV_FORWARD, start);
        tape.record(() -> {
            long t0 = System.nanoTime();
            INDArray gw = params.of(name + "_W", w);
            INDArray gb = params.of(name + "_b", bias);
            INDArray gi = pool.array(s);
            backward(op, saved, w, bias, out.grad, gi, gw, gb);
            x.accumulate(gi);
            timer.add(Phase.CONV_BACKWARD, t0);
        });
        return out;
    }

    /** out = op(x); returns what the backward needs of x: x in float32, its bfloat16 copy in bfloat16. */
    private INDArray forward(NdConv.Op op, INDArray x, INDArray w, INDArray bias, INDArray out) {
        if (bf16 != null) {
            return bf16.forward(op, SameConvBackward.whole(x), SameConvBackward.whole(w), bias, out, keepInputs);
        }
        op.forward(x, w, bias, out);
        return x;
    }

    /**
     * conv(concat(a, b)) computed as conv(a, W[.., :Ca, :]) + conv(b, W[.., Ca:, :]): ND4J's backward of one
     * convolution over 2D input channels takes about 1.5x as long as two over D each, and the concatenation's copies
     * go away.
     */
    Node convOfConcat(String name, NdConv.Conv op, Node a, Node b) {
        long start = System.nanoTime();
        INDArray w = params.weight(name + "_W");
        INDArray bias = params.weight(name + "_b");
        long[] sa = a.value.shape();
        long[] sb = b.value.shape();
        long ca = sa[3];
        long cb = sb[3];
        long cout = op.outChannels(w);
        INDArray wa = pool.array(op.k(), op.k(), ca, cout).assign(w.get(all(), all(), interval(0, ca), all()));
        INDArray wb = pool.array(op.k(), op.k(), cb, cout).assign(w.get(all(), all(), interval(ca, ca + cb), all()));
        INDArray noBias = pool.array(cout).assign(0);
        Node out = new Node(pool.array(sa[0], op.outSize(sa[1]), op.outSize(sa[2]), cout));
        INDArray partB = pool.array(out.value.shape());
        INDArray savedA = forward(op, a.value, wa, bias, out.value);
        INDArray savedB = forward(op, b.value, wb, noBias, partB);
        out.value.addi(partB);
        timer.add(Phase.CONV_FORWARD, start);
        tape.record(() -> {
            long t0 = System.nanoTime();
            INDArray gw = params.of(name + "_W", w);
            INDArray gb = params.of(name + "_b", bias);
            INDArray gwa = pool.array(wa.shape());
            INDArray gwb = pool.array(wb.shape());
            INDArray ga = pool.array(sa);
            INDArray gbIn = pool.array(sb);
            backward(op, savedA, wa, bias, out.grad, ga, gwa, gb);
            backward(op, savedB, wb, noBias, out.grad, gbIn, gwb, pool.array(cout));
            gw.get(all(), all(), interval(0, ca), all()).assign(gwa);
            gw.get(all(), all(), interval(ca, ca + cb), all()).assign(gwb);
            a.accumulate(ga);
            b.accumulate(gbIn);
            timer.add(Phase.CONV_BACKWARD, t0);
        });
        return out;
    }

    /**
     * The op's backward from what its forward saved of x: {@link Bf16Convs} in bfloat16; in float32
     * {@link SameConvBackward} for a 3 x 3 stride-1 convolution, {@link UpConvBackward} for the up-sampling
     * transposed convolution, else ND4J's.
     */
    private void backward(
            NdConv.Op op,
            INDArray x,
            INDArray w,
            INDArray bias,
            INDArray gradOut,
            INDArray gradIn,
            INDArray gradW,
            INDArray gradB) {
        if (bf16 != null) {
            bf16.backward(op, x, SameConvBackward.whole(w), SameConvBackward.whole(gradOut), gradIn, gradW, gradB);
        } else if (SameConvBackward.handles(op)) {
            SameConvBackward.run(pool, x, w, gradOut, gradIn, gradW, gradB);
        } else if (UpConvBackward.handles(op)) {
            UpConvBackward.run(pool, x, w, gradOut, gradIn, gradW, gradB);
        } else {
            op.backward(x, w, bias, gradOut, gradIn, gradW, gradB);
        }
    }

    @Override
    public void close() {
        precision(false);
    }
}
