package io.campanile.trainer.step;

import java.nio.FloatBuffer;
import java.util.Map;
import java.util.function.Function;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * PyTorch's Adam update (torch.optim.Adam, no weight decay) applied in place:
 * m = b1 m + (1 - b1) g, v = b2 v + (1 - b2) g^2,
 * p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps).
 * The moments live in arrays the caller owns (so checkpoints carry them); t is the 1-based step count.
 */
public final class AdamStep {
    private final double beta1;
    private final double beta2;
    private final double eps;

    public AdamStep(double beta1, double beta2, double eps) {
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
    }

    /**
     * @param params live weights by name
     * @param grads gradients by weight name
     * @param first first-moment array per weight name
     * @param second second-moment array per weight name
     */
    public void apply(
            Map<String, INDArray> grads,
            Function<String, INDArray> params,
            Function<String, INDArray> first,
            Function<String, INDArray> second,
            double lr,
            long t) {
        float b1 = (float) beta1;
        float b2 = (float) beta2;
        float stepSize = (float) (lr / (1 - Math.pow(beta1, t)));
        float invBias2 = (float) (1 / Math.sqrt(1 - Math.pow(beta2, t)));
        float e = (float) eps;
        grads.entrySet().parallelStream().forEach(entry -> {
            String name = entry.getKey();
            FloatBuffer g = ArrayPool.buffer(entry.getValue());
            INDArray weight = params.apply(name);
            FloatBuffer p = ArrayPool.buffer(weight);
            FloatBuffer m = ArrayPool.buffer(first.apply(name));
            FloatBuffer v = ArrayPool.buffer(second.apply(name));
            int n = (int) weight.length();
            if (entry.getValue().length() != n) {
                throw new IllegalStateException(
                        "gradient of " + name + " has " + entry.getValue().length() + " values, the weight " + n);
            }
            for (int i = 0; i < n; i++) {
                float gi = g.get(i);
                float mi = b1 * m.get(i) + (1 - b1) * gi;
                float vi = b2 * v.get(i) + (1 - b2) * gi * gi;
                m.put(i, mi);
                v.put(i, vi);
                p.put(i, p.get(i) - stepSize * mi / ((float) Math.sqrt(vi) * invBias2 + e));
            }
        });
    }
}
