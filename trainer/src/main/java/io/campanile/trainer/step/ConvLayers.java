package io.campanile.trainer.step;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import io.campanile.trainer.step.StepTimer.Phase;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The step's convolutions and transposed convolutions on ND4J's kernels ({@link NdConv}), forward now and backward
 * on the tape, into arrays from the pool; timed as CONV_FORWARD and CONV_BACKWARD.
 */
final class ConvLayers {
    private final ArrayPool pool;
    private final Tape tape;
    private final StepTimer timer;
    private final Gradients params;

    ConvLayers(ArrayPool pool, Tape tape, StepTimer timer, Gradients params) {
        this.pool = pool;
        this.tape = tape;
        this.timer = timer;
        this.params = params;
    }

    /** A convolution or transposed convolution {@code name} (weights {@code <name>_W}, {@code <name>_b}). */
    Node conv(String name, NdConv.Op op, Node x) {
        long start = System.nanoTime();
        INDArray w = params.weight(name + "_W");
        INDArray bias = params.weight(name + "_b");
        long[] s = x.value.shape();
        Node out = new Node(pool.array(s[0], op.outSize(s[1]), op.outSize(s[2]), op.outChannels(w)));
        op.forward(x.value, w, bias, out.value);
        timer.add(Phase.CONV_FORWARD, start);
        tape.record(() -> {
            long t0 = System.nanoTime();
            INDArray gw = params.of(name + "_W", w);
            INDArray gb = params.of(name + "_b", bias);
            INDArray gi = pool.array(s);
            backward(op, x.value, w, bias, out.grad, gi, gw, gb);
            x.accumulate(gi);
            timer.add(Phase.CONV_BACKWARD, t0);
        });
        return out;
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
        op.forward(a.value, wa, bias, out.value);
        op.forward(b.value, wb, noBias, partB);
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
            backward(op, a.value, wa, bias, out.grad, ga, gwa, gb);
            backward(op, b.value, wb, noBias, out.grad, gbIn, gwb, pool.array(cout));
            gw.get(all(), all(), interval(0, ca), all()).assign(gwa);
            gw.get(all(), all(), interval(ca, ca + cb), all()).assign(gwb);
            a.accumulate(ga);
            b.accumulate(gbIn);
            timer.add(Phase.CONV_BACKWARD, t0);
        });
        return out;
    }

    /**
     * The op's backward: {@link SameConvBackward} for a 3 x 3 stride-1 convolution, {@link UpConvBackward} for the
     * up-sampling transposed convolution, else ND4J's.
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
        if (SameConvBackward.handles(op)) {
            SameConvBackward.run(pool, x, w, gradOut, gradIn, gradW, gradB);
        } else if (UpConvBackward.handles(op)) {
            UpConvBackward.run(pool, x, w, gradOut, gradIn, gradW, gradB);
        } else {
            op.backward(x, w, bias, gradOut, gradIn, gradW, gradB);
        }
    }
}
