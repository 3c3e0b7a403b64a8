package io.campanile.trainer.step;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class AdamStepTest {
    /**
     * Parameters after each of three steps of torch.optim.Adam(lr=0.01) from [1, -2, 0.25] with these gradients,
     * printed by PyTorch 2.13 (p.grad set by hand, opt.step()).
     */
    static final float[][] GRADS = {{0.5f, 0.1f, -1f}, {-0.3f, 0.2f, -1f}, {0.05f, -0.4f, 2f}};

    static final float[][] TORCH = {
        {0.990000010f, -2.009999990f, 0.259999990f},
        {0.988085032f, -2.019651890f, 0.269999981f},
        {0.986063898f, -2.017714024f, 0.269243479f}
    };

    @Test
    void threeStepsMatchTorchOptimAdam() {
        INDArray p = Nd4j.createFromArray(1f, -2f, 0.25f);
        INDArray m = Nd4j.zeros(DataType.FLOAT, 3);
        INDArray v = Nd4j.zeros(DataType.FLOAT, 3);
        AdamStep adam = new AdamStep(0.9, 0.999, 1e-8);
        for (int t = 1; t <= 3; t++) {
            INDArray g = Nd4j.createFromArray(GRADS[t - 1]);
            adam.apply(Map.of("w", g), n -> p, n -> m, n -> v, 0.01, t);
            assertArrayEquals(TORCH[t - 1], p.toFloatVector(), 2e-6f, "after step " + t);
        }
    }
}
