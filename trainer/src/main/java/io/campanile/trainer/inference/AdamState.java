package io.campanile.trainer.inference;

import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.AdamUpdater;
import org.nd4j.linalg.learning.GradientUpdater;

/**
 * The Adam state of a UNet's training graph, kept as constants of the graph so that checkpoints carry it: per weight
 * {@code <weight>_adam_m} and {@code <weight>_adam_v}, and the step count {@code adam_step}. Not thread-safe.
 */
final class AdamState {
    static final String ADAM_M = "_adam_m";
    static final String ADAM_V = "_adam_v";
    static final String ADAM_STEP = "adam_step";

    private final SameDiff train;

    private AdamState(SameDiff train) {
        this.train = train;
    }

    /**
     * The state of a graph, added where the graph has none: zeros for a fresh graph, and for a checkpoint of the
     * earlier SameDiff-fit trainer the moments and step count of SameDiff's own Adam state.
     *
     * @param params the graph's weights
     */
    static AdamState of(SameDiff train, List<String> params) {
        Map<String, GradientUpdater> earlier = train.getUpdaterMap();
        boolean imported = false;
        for (String p : params) {
            INDArray w = train.getArrForVarName(p);
            if (!train.hasVariable(p + ADAM_M)) {
                INDArray m = Nd4j.zeros(DataType.FLOAT, w.shape());
                INDArray v = Nd4j.zeros(DataType.FLOAT, w.shape());
                if (earlier != null && earlier.get(p) instanceof AdamUpdater u && u.getM() != null) {
                    m.assign(u.getM().reshape('c', w.shape()));
                    v.assign(u.getV().reshape('c', w.shape()));
                    imported = true;
                }
                train.constant(p + ADAM_M, m);
                train.constant(p + ADAM_V, v);
            }
        }
        if (!train.hasVariable(ADAM_STEP)) {
            double steps = imported ? train.getTrainingConfig().getIterationCount() : 0;
            train.constant(ADAM_STEP, Nd4j.scalar(DataType.DOUBLE, steps).reshape(1));
        }
        return new AdamState(train);
    }

    /** Whether a graph variable is Adam state (not a weight or running statistic). */
    static boolean isState(String name) {
        return name.endsWith(ADAM_M) || name.endsWith(ADAM_V) || name.equals(ADAM_STEP);
    }

    INDArray firstMoment(String param) {
        return train.getArrForVarName(param + ADAM_M);
    }

    INDArray secondMoment(String param) {
        return train.getArrForVarName(param + ADAM_V);
    }

    /** The step count array ([1], steps taken so far). */
    INDArray steps() {
        return train.getArrForVarName(ADAM_STEP);
    }
}
