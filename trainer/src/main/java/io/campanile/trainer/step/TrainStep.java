package io.campanile.trainer.step;

import static io.campanile.trainer.step.ArrayPool.buffer;

import io.campanile.trainer.model.Batch;
import io.campanile.trainer.model.UNetSpec;
import io.campanile.trainer.model.UNetTopology;
import java.util.Map;
import java.util.function.Function;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One training step of the course UNet written out by hand: forward with batch statistics, mean squared error,
 * backward into a gradient per weight, and Adam. The network is {@link UNetTopology} walked on {@link StepLayers}
 * (channel-last activations, the layout oneDNN's convolutions run fastest on; with one channel, input and output are
 * the same memory as NCHW), with the same weights, names and layers as {@code UNetGraph}'s training form (whose
 * SameDiff autodiff is the reference in the tests). The layers record their backward on a {@link Tape}, take their
 * arrays from an {@link ArrayPool} that reuses them from step to step, and report their time to a {@link StepTimer}.
 * Batch-norm running statistics are updated during the forward, as PyTorch's train mode does. Not thread-safe.
 */
public final class TrainStep implements AutoCloseable {
    private final UNetSpec spec;
    private final Function<String, INDArray> weights;
    private final ArrayPool pool = new ArrayPool();
    private final Tape tape = new Tape();
    private final StepTimer timer = new StepTimer();
    private final Gradients grads;
    private final StepLayers layers;

    /**
     * @param weights the live weight, running-statistic arrays by their {@code UNetGraph} names
     * @param ops the inner loops to run ({@link ChannelOps#BEST} unless testing one form)
     */
    public TrainStep(UNetSpec spec, Function<String, INDArray> weights, ChannelOps ops) {
        this.spec = spec;
        this.weights = weights;
        this.grads = new Gradients(weights, pool);
        this.layers = new StepLayers(spec, pool, tape, timer, grads, new Kernels(ops));
    }

    /**
     * Forward and backward on a batch: returns the loss; {@link #gradients()} then holds dLoss/dweight by name until
     * the next step. Updates the running statistics.
     */
    public double run(Batch b) {
        StepTimer.Start start = timer.begin();
        recycle();
        layers.start(true, b.x(), b.t(), b.c(), b.n());
        Node out = UNetTopology.build(spec, layers);
        double loss = lossAndGradient(out, b.target());
        tape.backward();
        timer.end(start);
        return loss;
    }

    /**
     * {@link #run}, then one Adam step of every weight with its gradient.
     *
     * @param firstMoment the first-moment array of a weight, by name
     * @param secondMoment the second-moment array of a weight, by name
     * @param t the 1-based step count
     */
    public double fit(
            Batch b,
            AdamStep adam,
            Function<String, INDArray> firstMoment,
            Function<String, INDArray> secondMoment,
            double lr,
            long t) {
        double loss = run(b);
        adam.apply(gradients(), weights, firstMoment, secondMoment, lr, t);
        return loss;
    }

    /**
     * The network's output in inference form (batch norm with the running statistics) for n images: x [n, 1, 28, 28],
     * t [n] (diffusion models), c [n, K] (class-conditioned); returns [n, 1, 28, 28] flattened. Invalidates the
     * gradients of the last {@link #run}.
     */
    public float[] infer(float[] x, float[] t, float[] c, int n) {
        recycle();
        layers.start(false, x, t, c, n);
        Node out = UNetTopology.build(spec, layers);
        tape.clear();
        return out.value.data().asFloat();
    }

    /** dLoss/dweight of the last {@link #run}, by weight name (arrays valid until the next run). */
    public Map<String, INDArray> gradients() {
        return grads.all();
    }

    /**
     * Runs the next steps' convolutions in bfloat16 on oneDNN (mixed precision: weights, sums and every other layer in
     * float32) or, when false, in float32.
     *
     * @throws IllegalStateException for bfloat16 on a CPU without bfloat16 instructions
     */
    public void bfloat16(boolean on) {
        layers.precision(on);
    }

    /**
     * GFLOP/s of the bfloat16 step's main layer (a 3 x 3 convolution, 64 to 64 channels, on 28 x 28) over
     * {@code batch} images, best of {@code reps}; NaN on a CPU without bfloat16 instructions.
     */
    public static double bf16ConvGflops(int batch, int reps) {
        return Bf16Convs.forwardGflops(batch, reps);
    }

    /** Nanoseconds spent per phase since this step object was created, in {@link StepTimer.Phase} order. */
    public long[] phaseNanos() {
        return timer.nanos();
    }

    /**
     * Bytes of the arrays the steps hold between calls: activations, their gradients and the weight gradients of
     * the last call (the pool keeps them for the next one).
     */
    public long arrayBytes() {
        return pool.bytes() + layers.ownedBytes();
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
        out.grad = pool.array(out.value.shape());
        buffer(out.grad).put(0, g);
        return sum / n;
    }

    private void recycle() {
        pool.recycle();
        layers.recycle();
        grads.clear();
    }

    @Override
    public void close() {
        grads.clear();
        layers.close();
        pool.close();
    }
}
