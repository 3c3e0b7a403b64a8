package io.campanile.trainer.step;

import io.campanile.trainer.model.Architecture;
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
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * One training step of the course UNet written out by hand: forward with batch statistics, mean squared error, and
 * backward into a gradient per weight, with the same weights, names and layers as {@code UNetGraph}'s training form
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
     * @param ops the inner loops to run ({@link PlaneOps#BEST} unless testing one form)
     */
    public TrainStep(UNetSpec spec, Function<String, INDArray> weights, PlaneOps ops) {
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
        Node x = new Node(array(n, 1, UNetSpec.SIZE, UNetSpec.SIZE));
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
        Node u3 = convBlock("u3", concat(e1, u2));
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
        Node out = new Node(array(s[0], op.outChannels(w), op.outSize(s[2]), op.outSize(s[3])));
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

    private Node bnGelu(String name, Node x) {
        long start = System.nanoTime();
        long[] s = x.value.shape();
        int ch = (int) s[1];
        int hw = (int) (s[2] * s[3]);
        float[] gamma = weights.apply(name + "_gamma").data().asFloat();
        float[] beta = weights.apply(name + "_beta").data().asFloat();
        if (!training) {
            float[] rmean = weights.apply(name + "_rmean").data().asFloat();
            float[] rvar = weights.apply(name + "_rvar").data().asFloat();
            Node out = new Node(array(s));
            kernels.affineGelu(buffer(x.value), buffer(out.value), (int) s[0], ch, hw, gamma, beta, BN_EPS, rmean,
                    rvar);
            return out;
        }
        float[] mean = new float[ch];
        float[] var = new float[ch];
        float[] invStd = new float[ch];
        Node out = new Node(array(s));
        kernels.bnGeluForward(buffer(x.value), buffer(out.value), (int) s[0], ch, hw, gamma, beta, BN_EPS, mean, var,
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
            kernels.bnGeluBackward(buffer(x.value), buffer(g), (int) s[0], ch, hw, gamma, beta, mean, invStd, dGamma,
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

    /** GELU of the 7 x 7 mean of each channel: [B, C, 7, 7] to [B, C, 1, 1]. */
    private Node meanGelu(Node x) {
        long[] s = x.value.shape();
        int planes = (int) (s[0] * s[1]);
        int hw = (int) (s[2] * s[3]);
        float[] means = Kernels.planeMeans(buffer(x.value), planes, hw);
        float[] y = new float[planes];
        Gelu.forward(means, y, planes);
        Node out = new Node(array(s[0], s[1], 1, 1));
        buffer(out.value).put(0, y);
        tape.add(() -> {
            float[] g = out.grad.data().asFloat();
            for (int i = 0; i < planes; i++) {
                g[i] *= Gelu.derivative(means[i]);
            }
            INDArray gi = array(s);
            Kernels.spreadPlanes(buffer(gi), g, planes, hw);
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
        int hw = (int) (s[2] * s[3]);
        float[] scale = ck == null ? null : ck.value.data().asFloat();
        float[] shift = tk.value.data().asFloat();
        Node out = new Node(array(s));
        kernels.conditionForward(buffer(h.value), buffer(out.value), (int) s[0], channels, hw, scale, shift);
        tape.add(() -> {
            float[] dScale = ck == null ? null : new float[scale.length];
            float[] dShift = new float[shift.length];
            INDArray g = out.grad;
            kernels.conditionBackward(buffer(h.value), buffer(g), (int) s[0], channels, hw, scale, dScale, dShift);
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

    private Node concat(Node a, Node b) {
        long[] sa = a.value.shape();
        long[] sb = b.value.shape();
        Node out = new Node(array(sa[0], sa[1] + sb[1], sa[2], sa[3]));
        out.value.get(NDArrayIndex.all(), NDArrayIndex.interval(0, sa[1])).assign(a.value);
        out.value.get(NDArrayIndex.all(), NDArrayIndex.interval(sa[1], sa[1] + sb[1])).assign(b.value);
        tape.add(() -> {
            INDArray ga = array(sa);
            ga.assign(out.grad.get(NDArrayIndex.all(), NDArrayIndex.interval(0, sa[1])));
            INDArray gb = array(sb);
            gb.assign(out.grad.get(NDArrayIndex.all(), NDArrayIndex.interval(sa[1], sa[1] + sb[1])));
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

    private void recycle() {
        for (INDArray a : lent) {
            free.computeIfAbsent(key(a.shape()), k -> new ArrayDeque<>()).push(a);
        }
        lent.clear();
        grads.clear();
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
        for (ArrayDeque<INDArray> q : free.values()) {
            for (INDArray a : q) {
                if (a.closeable()) {
                    a.close();
                }
            }
        }
        free.clear();
    }
}
