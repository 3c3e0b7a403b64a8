package io.campanile.trainer.step;

import static io.campanile.trainer.step.ArrayPool.buffer;

import io.campanile.trainer.model.UNetTopology;
import io.campanile.trainer.step.StepTimer.Phase;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The step's batch norm + GELU on the fused kernels ({@link Kernels}): with this batch's statistics when training
 * (updating the running ones as PyTorch's train mode does; timed as BN_GELU_FORWARD and BN_GELU_BACKWARD), with the
 * running statistics otherwise.
 */
final class NormLayers {
    private final ArrayPool pool;
    private final Tape tape;
    private final StepTimer timer;
    private final Gradients params;
    private final Kernels kernels;

    NormLayers(ArrayPool pool, Tape tape, StepTimer timer, Gradients params, Kernels kernels) {
        this.pool = pool;
        this.tape = tape;
        this.timer = timer;
        this.params = params;
        this.kernels = kernels;
    }

    Node bnGelu(String name, Node x, boolean training) {
        long start = System.nanoTime();
        long[] s = x.value.shape();
        int ch = (int) s[3];
        int hw = (int) (s[1] * s[2]);
        float[] gamma = params.weight(name + "_gamma").data().asFloat();
        float[] beta = params.weight(name + "_beta").data().asFloat();
        if (!training) {
            float[] rmean = params.weight(name + "_rmean").data().asFloat();
            float[] rvar = params.weight(name + "_rvar").data().asFloat();
            Node out = new Node(pool.array(s));
            kernels.bnGeluInference(
                    buffer(x.value),
                    buffer(out.value),
                    (int) s[0],
                    hw,
                    ch,
                    gamma,
                    beta,
                    UNetTopology.BN_EPS,
                    rmean,
                    rvar);
            return out;
        }
        float[] mean = new float[ch];
        float[] var = new float[ch];
        float[] invStd = new float[ch];
        Node out = new Node(pool.array(s));
        kernels.bnGeluForward(
                buffer(x.value),
                buffer(out.value),
                (int) s[0],
                hw,
                ch,
                gamma,
                beta,
                UNetTopology.BN_EPS,
                mean,
                var,
                invStd);
        double n = (double) s[0] * hw;
        updateRunning(params.weight(name + "_rmean"), mean, 1);
        updateRunning(params.weight(name + "_rvar"), var, n / Math.max(1, n - 1));
        timer.add(Phase.BN_GELU_FORWARD, start);
        tape.record(() -> {
            long t0 = System.nanoTime();
            float[] dGamma = new float[ch];
            float[] dBeta = new float[ch];
            INDArray g = out.grad;
            kernels.bnGeluBackward(
                    buffer(x.value), buffer(g), (int) s[0], hw, ch, gamma, beta, mean, invStd, dGamma, dBeta);
            Gradients.set(params.of(name + "_gamma", null, 1, ch, 1, 1), dGamma);
            Gradients.set(params.of(name + "_beta", null, 1, ch, 1, 1), dBeta);
            x.accumulate(g);
            timer.add(Phase.BN_GELU_BACKWARD, t0);
        });
        return out;
    }

    /** PyTorch's running-statistic update r = (1 - momentum) r + momentum * factor * batchValue. */
    private static void updateRunning(INDArray running, float[] batchValue, double factor) {
        FloatBuffer r = buffer(running);
        double momentum = UNetTopology.BN_MOMENTUM;
        for (int i = 0; i < batchValue.length; i++) {
            r.put(i, (float) ((1 - momentum) * r.get(i) + momentum * factor * batchValue[i]));
        }
    }
}
