package io.campanile.trainer.step;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The live weights the layers read, by their {@code UNetGraph} names, and the gradients a backward writes for them. */
final class Gradients {
    private final Function<String, INDArray> weights;
    private final ArrayPool pool;
    private final Map<String, INDArray> grads = new LinkedHashMap<>();

    Gradients(Function<String, INDArray> weights, ArrayPool pool) {
        this.weights = weights;
        this.pool = pool;
    }

    /** A weight or running statistic. */
    INDArray weight(String name) {
        return weights.apply(name);
    }

    /** The gradient array of a weight, shaped like it (or as given); valid until the pool's next recycle. */
    INDArray of(String name, INDArray like, long... shape) {
        INDArray g = pool.array(like != null ? like.shape() : shape);
        grads.put(name, g);
        return g;
    }

    /** dLoss/dweight by weight name. */
    Map<String, INDArray> all() {
        return grads;
    }

    void clear() {
        grads.clear();
    }

    static void set(INDArray target, float[] values) {
        ArrayPool.buffer(target).put(0, values);
    }

    static void set(INDArray target, INDArray values) {
        target.assign(values.reshape(target.shape()));
    }
}
