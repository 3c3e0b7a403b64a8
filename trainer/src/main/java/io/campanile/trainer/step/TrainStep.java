package io.campanile.trainer.step;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import io.campanile.contracts.jobs.Architecture;
import io.campanile.trainer.model.Batch;
import io.campanile.trainer.model.UNetSpec;
import java.nio.FloatBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;


/**
 * One training step of the course UNet written out by hand: forward with batch statistics, mean squared error, and
 * backward into a gradient per weight, on channel-last (NHWC) activations, the layout oneDNN's convolutions run
 * fastest on (with one channel, input and output are the same memory as NCHW), with the same weights, names and layers as {@code UNetGraph}'s training form
 * (whose SameDiff autodiff is the reference in the tests). Convolutions run on ND4J's kernels; batch norm + GELU,
 * the conditioning and the bottleneck run on {@link Kernels}. Activations live in arrays reused from step to step.
 * Batch-norm running statistics are updated during the forward, as PyTorch's train mode does. Not thread-safe.
 */
public final class TrainStep implements AutoCloseable {
    /** PyTorch BatchNorm2d's default momentum and epsilon. */
    public static final double BN_MOMENTUM = 0.1;
    public static final double BN_EPS = 1e-5;

    private static final NdConv.Conv CONV = new NdConv.Conv(3, 1, 1);
    private static final NdConv.Conv DOWN = new NdConv.Conv(3, 2, 1);
    private static final NdConv.Deconv UP = new NdConv.Deconv(4, 2, 1);
    private static final NdConv.Deconv UNFLATTEN = new NdConv.Deconv(7, 7, 0);

    /** Where a step's time goes (nanoseconds, summed over steps), for the benchmark. */
    public enum Phase { CONV_FORWARD, CONV_BACKWARD, BN_GELU_FORWARD, BN_GELU_BACKWARD, OTHER }

    private final UNetSpec spec;
    private final Function<String, INDArray> weights;
    private final Map<List<Long>, ArrayDeque<INDArray>> free = new HashMap<>();
    private final List<INDArray> lent = new ArrayList<>();
    private final List<Runnable> tape = new ArrayList<>();
    private final Map<String, INDArray> grads = new LinkedHashMap<>();
    private final long[] phaseNanos = new long[Phase.values().length];
    private final Kernels kernels;
    private boolean training;

    /**
     * @param weights the live weight, running-statistic arrays by their {@code UNetGraph} names
     * @param ops the inner loops to run ({@link ChannelOps#BEST} unless testing one form)
     */
    public TrainStep(UNetSpec spec, Function<String, INDArray> weights, ChannelOps ops) {
        this.spec = spec;
        this.weights = weights;
        this.kernels = new Kernels(ops);
    }

    /** A node of the step's graph: its value and, after the backward, the loss gradient with respect to it. */
    private static final class Node {
        final INDArray value;
        INDArray grad;

        Node(INDArray value) {
            this.value = value;
        }
    }

    /**
     * Forward and backward on a batch: returns the loss; {@link #gradients()} then holds dLoss/dweight by name until
     * the next step. Updates the running statistics.
     */
    public double run(Batch b) {
        long start = System.nanoTime();
        long[] before = phaseNanos.clone();
        recycle();
        training = true;
        Node out = unet(b.x(), b.t(), b.c(), b.n());
        double loss = lossAndGradient(out, b.target());
        for (int i = tape.size() - 1; i >= 0; i--) {
            tape.get(i).run();
        }
        tape.clear();
        long total = System.nanoTime() - start;
        long timed = 0;
        for (Phase p : Phase.values()) {
            timed += p == Phase.OTHER ? 0 : phaseNanos[p.ordinal()] - before[p.ordinal()];
        }
        phaseNanos[Phase.OTHER.ordinal()] += total - timed;
        return loss;
    }

    /**
     * The network's output in inference form (batch norm with the running statistics) for n images: x [n, 1, 28, 28],
     * t [n] (diffusion models), c [n, K] (class-conditioned); returns [n, 1, 28, 28] flattened. Invalidates the
     * gradients of the last {@link #run}.
     */
    public float[] infer(float[] x, float[] t, float[] c, int n) {
        recycle();
        training = false;
        Node out = unet(x, t, c, n);
        tape.clear();
        return out.value.data().asFloat();
    }

    private Node unet(float[] xs, float[] ts, float[] cs, int n) {
        Node x = new Node(array(n, UNetSpec.SIZE, UNetSpec.SIZE, 1)); // NHWC; with one channel the same as NCHW
        buffer(x.value).put(0, xs, 0, n * UNetSpec.SIZE * UNetSpec.SIZE);
        Node t = null;
        Node c = null;
        if (spec.architecture().isDiffusion()) {
            t = new Node(array(n, 1));
            buffer(t.value).put(0, ts, 0, n);
        }
        if (spec.architecture() == Architecture.CLASS_CONDITIONED) {
            c = new Node(array(n, spec.numClasses()));
            buffer(c.value).put(0, cs, 0, n * spec.numClasses());
        }
        return unet(x, t, c);
    }

    /** dLoss/dweight of the last {@link #run}, by weight name (arrays valid until the next run). */
    public Map<String, INDArray> gradients() {
        return grads;
    }

    /** Nanoseconds spent per phase since this step object was created. */
    public long[] phaseNanos() {
        return phaseNanos.clone();
    }

    private Node unet(Node x, Node t, Node c) {
        int d = spec.hiddenDim();
        Node e1 = convBlock("e1", x);
        Node e2 = downBlock("e2", e1);
        Node e3 = downBlock("e3", e2);
        Node flat = meanGelu(e3);
        Node u0 = bnGelu("u0", conv("u0", UNFLATTEN, flat));
        u0 = condition(u0, "1", t, c, 2 * d);
        Node u1 = upBlock("u1", concat(e3, u0));
        u1 = condition(u1, "2", t, c, d);
        Node u2 = upBlock("u2", concat(e2, u1));
        Node u3 = bnGelu("u3_b", conv("u3_b", CONV, bnGelu("u3_a", convOfConcat("u3_a", e1, u2))));
        return conv("out", CONV, u3);
    }

    private Node convBlock(String name, Node x) {
        Node h = bnGelu(name + "_a", conv(name + "_a", CONV, x));
        return bnGelu(name + "_b", conv(name + "_b", CONV, h));
    }

    private Node downBlock(String name, Node x) {
        return convBlock(name, bnGelu(name + "_down", conv(name + "_down", DOWN, x)));
    }

    private Node upBlock(String name, Node x) {
        return convBlock(name, bnGelu(name + "_up", conv(name + "_up", UP, x)));
    }

    /** A convolution or transposed convolution {@code name} (weights {@code <name>_W}, {@code <name>_b}). */
    private Node conv(String name, NdConv.Op op, Node x) {
        long start = System.nanoTime();
        INDArray w = weights.apply(name + "_W");
        INDArray bias = weights.apply(name + "_b");
        long[] s = x.value.shape();
        Node out = new Node(array(s[0], op.outSize(s[1]), op.outSize(s[2]), op.outChannels(w)));
        op.forward(x.value, w, bias, out.value);
        phaseNanos[Phase.CONV_FORWARD.ordinal()] += System.nanoTime() - start;
        tape.add(() -> {
            long t0 = System.nanoTime();
            INDArray gw = gradient(name + "_W", w);
            INDArray gb = gradient(name + "_b", bias);
            INDArray gi = array(s);
            op.backward(x.value, w, bias, out.grad, gi, gw, gb);
            accumulate(x, gi);
            phaseNanos[Phase.CONV_BACKWARD.ordinal()] += System.nanoTime() - t0;
        });
        return out;
    }

    /**
     * conv(concat(a, b)) computed as conv(a, W[.., :Ca, :]) + conv(b, W[.., Ca:, :]): ND4J's backward of one
     * convolution over 2D input channels takes about 1.5x as long as two over D each, and the concatenation's copies
     * go away.
     */
    private Node convOfConcat(String name, Node a, Node b) {
        long start = System.nanoTime();
        INDArray w = weights.apply(name + "_W");
        INDArray bias = weights.apply(name + "_b");
        long[] sa = a.value.shape();
        long[] sb = b.value.shape();
        long ca = sa[3];
        long cb = sb[3];
        long cout = CONV.outChannels(w);
        INDArray wa = array(3, 3, ca, cout).assign(w.get(all(), all(), interval(0, ca), all()));
        INDArray wb = array(3, 3, cb, cout).assign(w.get(all(), all(), interval(ca, ca + cb), all()));
        INDArray noBias = array(cout).assign(0);
        Node out = new Node(array(sa[0], CONV.outSize(sa[1]), CONV.outSize(sa[2]), cout));
        INDArray partB = array(out.value.shape());
        CONV.forward(a.value, wa, bias, out.value);
        CONV.forward(b.value, wb, noBias, partB);
        out.value.addi(partB);
        phaseNanos[Phase.CONV_FORWARD.ordinal()] += System.nanoTime() - start;
        tape.add(() -> {
            long t0 = System.nanoTime();
            INDArray gw = gradient(name + "_W", w);
            INDArray gb = gradient(name + "_b", bias);
            INDArray gwa = array(wa.shape());
            INDArray gwb = array(wb.shape());
            INDArray ga = array(sa);
            INDArray gbIn = array(sb);
            CONV.backward(a.value, wa, bias, out.grad, ga, gwa, gb);
            CONV.backward(b.value, wb, noBias, out.grad, gbIn, gwb, array(cout));
            gw.get(all(), all(), interval(0, ca), all()).assign(gwa);
            gw.get(all(), all(), interval(ca, ca + cb), all()).assign(gwb);
            accumulate(a, ga);
            accumulate(b, gbIn);
            phaseNanos[Phase.CONV_BACKWARD.ordinal()] += System.nanoTime() - t0;
        });
        return out;
    }

    private Node bnGelu(String name, Node x) {
        long start = System.nanoTime();
        long[] s = x.value.shape();
        int ch = (int) s[3];
        int hw = (int) (s[1] * s[2]);
        float[] gamma = weights.apply(name + "_gamma").data().asFloat();
        float[] beta = weights.apply(name + "_beta").data().asFloat();
        if (!training) {
            float[] rmean = weights.apply(name + "_rmean").data().asFloat();
            float[] rvar = weights.apply(name + "_rvar").data().asFloat();
            Node out = new Node(array(s));
            kernels.bnGeluInference(buffer(x.value), buffer(out.value), (int) s[0], hw, ch, gamma, beta, BN_EPS,
                    rmean, rvar);
            return out;
        }
        float[] mean = new float[ch];
        float[] var = new float[ch];
        float[] invStd = new float[ch];
        Node out = new Node(array(s));
        kernels.bnGeluForward(buffer(x.value), buffer(out.value), (int) s[0], hw, ch, gamma, beta, BN_EPS, mean, var,
                invStd);
        double n = (double) s[0] * hw;
        updateRunning(weights.apply(name + "_rmean"), mean, 1);
        updateRunning(weights.apply(name + "_rvar"), var, n / Math.max(1, n - 1));
        phaseNanos[Phase.BN_GELU_FORWARD.ordinal()] += System.nanoTime() - start;
        tape.add(() -> {
            long t0 = System.nanoTime();
            float[] dGamma = new float[ch];
            float[] dBeta = new float[ch];
            INDArray g = out.grad;
            kernels.bnGeluBackward(buffer(x.value), buffer(g), (int) s[0], hw, ch, gamma, beta, mean, invStd, dGamma,
                    dBeta);
            set(gradient(name + "_gamma", null, 1, ch, 1, 1), dGamma);
            set(gradient(name + "_beta", null, 1, ch, 1, 1), dBeta);
            accumulate(x, g);
            phaseNanos[Phase.BN_GELU_BACKWARD.ordinal()] += System.nanoTime() - t0;
        });
        return out;
    }

    /** PyTorch's running-statistic update r = (1 - momentum) r + momentum * factor * batchValue. */
    private static void updateRunning(INDArray running, float[] batchValue, double factor) {
        FloatBuffer r = buffer(running);
        for (int i = 0; i < batchValue.length; i++) {
            r.put(i, (float) ((1 - BN_MOMENTUM) * r.get(i) + BN_MOMENTUM * factor * batchValue[i]));
        }
    }

    /** GELU of the 7 x 7 mean of each channel: [B, 7, 7, C] to [B, 1, 1, C]. */
    private Node meanGelu(Node x) {
        long[] s = x.value.shape();
        int batch = (int) s[0];
        int hw = (int) (s[1] * s[2]);
        int ch = (int) s[3];
        float[] means = kernels.pixelMeans(buffer(x.value), batch, hw, ch);
        float[] y = new float[means.length];
        Gelu.forward(means, y, means.length);
        Node out = new Node(array(s[0], 1, 1, s[3]));
        buffer(out.value).put(0, y);
        tape.add(() -> {
            float[] g = out.grad.data().asFloat();
            for (int i = 0; i < g.length; i++) {
                g[i] *= Gelu.derivative(means[i]);
            }
            INDArray gi = array(s);
            kernels.spreadOverPixels(buffer(gi), g, batch, hw, ch);
            accumulate(x, gi);
        });
        return out;
    }

    /** h = c_k * h + t_k (class), h + t_k (time), h (denoiser), with FCBlocks fc_t{k} and fc_c{k}. */
    private Node condition(Node h, String k, Node t, Node c, int channels) {
        if (t == null) {
            return h;
        }
        Node tk = fcBlock("fc_t" + k, t);
        Node ck = c == null ? null : fcBlock("fc_c" + k, c);
        long[] s = h.value.shape();
        int hw = (int) (s[1] * s[2]);
        float[] scale = ck == null ? null : ck.value.data().asFloat();
        float[] shift = tk.value.data().asFloat();
        Node out = new Node(array(s));
        kernels.conditionForward(buffer(h.value), buffer(out.value), (int) s[0], hw, channels, scale, shift);
        tape.add(() -> {
            float[] dScale = ck == null ? null : new float[scale.length];
            float[] dShift = new float[shift.length];
            INDArray g = out.grad;
            kernels.conditionBackward(buffer(h.value), buffer(g), (int) s[0], hw, channels, scale, dScale, dShift);
            if (ck != null) {
                INDArray gs = array(ck.value.shape());
                buffer(gs).put(0, dScale);
                accumulate(ck, gs);
            }
            INDArray gt = array(tk.value.shape());
            buffer(gt).put(0, dShift);
            accumulate(tk, gt);
            accumulate(h, g);
        });
        return out;
    }

    /** Linear, GELU, Linear on [B, in]. */
    private Node fcBlock(String name, Node x) {
        INDArray w1 = weights.apply(name + "_1_W");
        INDArray b1 = weights.apply(name + "_1_b");
        INDArray w2 = weights.apply(name + "_2_W");
        INDArray b2 = weights.apply(name + "_2_b");
        INDArray pre = x.value.mmul(w1).addiRowVector(b1);
        float[] preValues = pre.data().asFloat();
        float[] act = new float[preValues.length];
        Gelu.forward(preValues, act, act.length);
        INDArray a = Nd4j.create(act, pre.shape(), 'c');
        Node out = new Node(a.mmul(w2).addiRowVector(b2));
        tape.add(() -> {
            INDArray g = out.grad;
            set(gradient(name + "_2_W", w2), a.transpose().mmul(g));
            set(gradient(name + "_2_b", b2), g.sum(0));
            float[] da = g.mmul(w2.transpose()).data().asFloat();
            for (int i = 0; i < da.length; i++) {
                da[i] *= Gelu.derivative(preValues[i]);
            }
            INDArray dPre = Nd4j.create(da, pre.shape(), 'c');
            set(gradient(name + "_1_W", w1), x.value.transpose().mmul(dPre));
            set(gradient(name + "_1_b", b1), dPre.sum(0));
        });
        return out;
    }

    /** Channel concatenation [B, H, W, Ca] + [B, H, W, Cb]. */
    private Node concat(Node a, Node b) {
        long[] sa = a.value.shape();
        long[] sb = b.value.shape();
        int batch = (int) sa[0];
        int hw = (int) (sa[1] * sa[2]);
        int ca = (int) sa[3];
        int cb = (int) sb[3];
        Node out = new Node(array(sa[0], sa[1], sa[2], ca + cb));
        kernels.concat(buffer(a.value), buffer(b.value), buffer(out.value), batch, hw, ca, cb);
        tape.add(() -> {
            INDArray ga = array(sa);
            INDArray gb = array(sb);
            kernels.split(buffer(out.grad), buffer(ga), buffer(gb), batch, hw, ca, cb);
            accumulate(a, ga);
            accumulate(b, gb);
        });
        return out;
    }

    /** Mean squared error against target; sets out's gradient 2 (out - target) / N. */
    private double lossAndGradient(Node out, float[] target) {
        int n = target.length;
        float[] o = out.value.data().asFloat();
        float[] g = new float[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            float diff = o[i] - target[i];
            sum += (double) diff * diff;
            g[i] = 2f * diff / n;
        }
        out.grad = array(out.value.shape());
        buffer(out.grad).put(0, g);
        return sum / n;
    }

    private static void accumulate(Node n, INDArray g) {
        if (n.grad == null) {
            n.grad = g;
        } else {
            n.grad.addi(g);
        }
    }

    /** The gradient array for a weight, shaped like it (or as given). */
    private INDArray gradient(String name, INDArray like, long... shape) {
        INDArray g = array(like != null ? like.shape() : shape);
        grads.put(name, g);
        return g;
    }

    private static void set(INDArray target, float[] values) {
        buffer(target).put(0, values);
    }

    private static void set(INDArray target, INDArray values) {
        target.assign(values.reshape(target.shape()));
    }

    /** An uninitialised array of this shape, reused from earlier steps when one is free. */
    private INDArray array(long... shape) {
        ArrayDeque<INDArray> q = free.get(key(shape));
        INDArray a = q == null || q.isEmpty() ? Nd4j.createUninitialized(DataType.FLOAT, shape, 'c') : q.pop();
        lent.add(a);
        return a;
    }

    private static List<Long> key(long[] shape) {
        return Arrays.stream(shape).boxed().toList();
    }

    /**
     * Returns the last call's arrays to the pool. Arrays of shapes the last call did not use (another batch size: an
     * epoch's last batch, sampling between epochs) are freed, so the pool holds at most two calls' worth.
     */
    private void recycle() {
        java.util.Set<List<Long>> used = new java.util.HashSet<>();
        for (INDArray a : lent) {
            used.add(key(a.shape()));
        }
        free.entrySet().removeIf(e -> {
            if (used.contains(e.getKey())) {
                return false;
            }
            e.getValue().forEach(TrainStep::close);
            return true;
        });
        for (INDArray a : lent) {
            free.computeIfAbsent(key(a.shape()), k -> new ArrayDeque<>()).push(a);
        }
        lent.clear();
        grads.clear();
    }

    private static void close(INDArray a) {
        if (a.closeable()) {
            a.close();
        }
    }

    /** The whole backing buffer of a fresh c-order array. */
    static FloatBuffer buffer(INDArray a) {
        if (a.isView() || a.ordering() != 'c' || a.offset() != 0 || a.dataType() != DataType.FLOAT) {
            throw new IllegalArgumentException("kernel arrays must be whole c-order float arrays");
        }
        return a.data().asNioFloat();
    }

    @Override
    public void close() {
        recycle();
        free.values().forEach(q -> q.forEach(TrainStep::close));
        free.clear();
    }
}
