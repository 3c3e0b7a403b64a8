package io.campanile.trainer.step;

import static io.campanile.trainer.step.ArrayPool.buffer;

import io.campanile.trainer.model.UNetLayers;
import io.campanile.trainer.model.UNetSpec;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The training step's layers ({@link UNetLayers} for {@code UNetTopology}): each computes its output now, on
 * channel-last (NHWC) arrays from the pool, and records its backward on the tape. Convolutions are
 * {@link ConvLayers}, batch norm + GELU {@link NormLayers}; the conditioning, the pixel mean and the concatenation run
 * on {@link Kernels}, GELU on {@link Gelu}, linear layers on ND4J's matrix products. A concatenation is computed only
 * when a layer needs its values: a convolution of one runs as two convolutions, one per part (docs/adr/0009). Not
 * thread-safe.
 */
final class StepLayers implements UNetLayers<Node> {
    private final UNetSpec spec;
    private final ArrayPool pool;
    private final Tape tape;
    private final Gradients params;
    private final Kernels kernels;
    private final ConvLayers convs;
    private final NormLayers norms;
    private boolean training;
    private float[] xs;
    private float[] ts;
    private float[] cs;
    private int n;

    StepLayers(UNetSpec spec, ArrayPool pool, Tape tape, StepTimer timer, Gradients params, Kernels kernels) {
        this.spec = spec;
        this.pool = pool;
        this.tape = tape;
        this.params = params;
        this.kernels = kernels;
        this.convs = new ConvLayers(pool, tape, timer, params);
        this.norms = new NormLayers(pool, tape, timer, params, kernels);
    }

    /** Runs the convolutions in bfloat16 (mixed precision) or, when false, float32. */
    void precision(boolean bfloat16) {
        convs.precision(bfloat16);
    }

    /** Bytes of the buffers the bfloat16 convolutions own (0 in float32). */
    long ownedBytes() {
        return convs.ownedBytes();
    }

    /** Drops what the convolutions hold for layer shapes the last call did not use. */
    void recycle() {
        convs.recycle();
    }

    /** Frees what the convolutions hold outside the pool. */
    void close() {
        convs.close();
    }

    /** The next walk's mode (batch or running statistics) and inputs: n images x, times t, class vectors c. */
    void start(boolean training, float[] x, float[] t, float[] c, int n) {
        this.training = training;
        convs.keepInputs(training);
        this.xs = x;
        this.ts = t;
        this.cs = c;
        this.n = n;
    }

    @Override
    public Node input(Input input) {
        // the image NHWC: with one channel the same memory as NCHW
        long[] shape = input == Input.IMAGE ? new long[] {n, UNetSpec.SIZE, UNetSpec.SIZE, 1} : input.shape(spec, n);
        INDArray a = pool.array(shape);
        buffer(a).put(0, input.of(xs, ts, cs), 0, (int) a.length());
        return Node.input(a);
    }

    @Override
    public Node conv(String name, Node x, int in, int out, int stride) {
        NdConv.Conv op = new NdConv.Conv(3, stride, 1);
        if (x.pendingConcatenation()) {
            return convs.convOfConcat(name, op, whole(x.first), whole(x.second));
        }
        return convs.conv(name, op, x);
    }

    @Override
    public Node deconv(String name, Node x, int in, int out, int k, int stride, int pad) {
        return convs.conv(name, new NdConv.Deconv(k, stride, pad), whole(x));
    }

    @Override
    public Node bnGelu(String name, Node x, int channels) {
        return norms.bnGelu(name, whole(x), training);
    }

    /** [B, H, W, C] to [B, 1, 1, C]. */
    @Override
    public Node avgPool(Node x) {
        Node in = whole(x);
        long[] s = in.value.shape();
        int batch = (int) s[0];
        int hw = (int) (s[1] * s[2]);
        int ch = (int) s[3];
        Node out = new Node(pool.array(s[0], 1, 1, s[3]));
        buffer(out.value).put(0, kernels.pixelMeans(buffer(in.value), batch, hw, ch));
        tape.record(() -> {
            INDArray gi = pool.array(s);
            kernels.spreadOverPixels(buffer(gi), out.grad.data().asFloat(), batch, hw, ch);
            in.accumulate(gi);
        });
        return out;
    }

    @Override
    public Node gelu(Node x) {
        Node in = whole(x);
        float[] pre = in.value.data().asFloat();
        float[] y = new float[pre.length];
        Gelu.forward(pre, y, y.length);
        long[] s = in.value.shape();
        Node out = new Node(pool.array(s));
        buffer(out.value).put(0, y);
        tape.record(() -> {
            float[] g = out.grad.data().asFloat();
            for (int i = 0; i < g.length; i++) {
                g[i] *= Gelu.derivative(pre[i]);
            }
            INDArray gi = pool.array(s);
            buffer(gi).put(0, g);
            in.accumulate(gi);
        });
        return out;
    }

    @Override
    public Node linear(String name, Node x, int in, int out) {
        Node input = whole(x);
        INDArray w = params.weight(name + "_W");
        INDArray b = params.weight(name + "_b");
        Node y = new Node(input.value.mmul(w).addiRowVector(b));
        tape.record(() -> {
            INDArray g = y.grad;
            Gradients.set(params.of(name + "_W", w), input.value.transpose().mmul(g));
            Gradients.set(params.of(name + "_b", b), g.sum(0));
            if (!input.isInput) {
                input.accumulate(g.mmul(w.transpose()));
            }
        });
        return y;
    }

    /** Channel concatenation [B, H, W, Ca] + [B, H, W, Cb], computed by {@link #whole} when a layer needs it. */
    @Override
    public Node concat(Node a, Node b) {
        return Node.concatenation(a, b);
    }

    /** x itself, or the computed concatenation when x is one not computed yet. */
    private Node whole(Node x) {
        if (!x.pendingConcatenation()) {
            return x;
        }
        Node a = whole(x.first);
        Node b = whole(x.second);
        long[] sa = a.value.shape();
        long[] sb = b.value.shape();
        int batch = (int) sa[0];
        int hw = (int) (sa[1] * sa[2]);
        int ca = (int) sa[3];
        int cb = (int) sb[3];
        x.value = pool.array(sa[0], sa[1], sa[2], ca + cb);
        kernels.concat(buffer(a.value), buffer(b.value), buffer(x.value), batch, hw, ca, cb);
        tape.record(() -> {
            INDArray ga = pool.array(sa);
            INDArray gb = pool.array(sb);
            kernels.split(buffer(x.grad), buffer(ga), buffer(gb), batch, hw, ca, cb);
            a.accumulate(ga);
            b.accumulate(gb);
        });
        return x;
    }

    /** h = scale * h + shift per image and channel (scale null: h + shift). */
    @Override
    public Node condition(String k, Node h, Node scale, Node shift, int channels) {
        Node in = whole(h);
        long[] s = in.value.shape();
        int hw = (int) (s[1] * s[2]);
        float[] sc = scale == null ? null : scale.value.data().asFloat();
        float[] sh = shift.value.data().asFloat();
        Node out = new Node(pool.array(s));
        kernels.conditionForward(buffer(in.value), buffer(out.value), (int) s[0], hw, channels, sc, sh);
        tape.record(() -> {
            float[] dScale = scale == null ? null : new float[sc.length];
            float[] dShift = new float[sh.length];
            INDArray g = out.grad;
            kernels.conditionBackward(buffer(in.value), buffer(g), (int) s[0], hw, channels, sc, dScale, dShift);
            if (scale != null) {
                INDArray gs = pool.array(scale.value.shape());
                buffer(gs).put(0, dScale);
                scale.accumulate(gs);
            }
            INDArray gt = pool.array(shift.value.shape());
            buffer(gt).put(0, dShift);
            shift.accumulate(gt);
            in.accumulate(g);
        });
        return out;
    }
}
