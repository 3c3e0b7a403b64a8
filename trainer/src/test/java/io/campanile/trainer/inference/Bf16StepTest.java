package io.campanile.trainer.inference;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.campanile.contracts.jobs.Architecture;
import io.campanile.contracts.jobs.Precision;
import io.campanile.trainer.model.Batch;
import io.campanile.trainer.model.UNetSpec;
import io.campanile.trainer.step.TrainStep;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A training step in bf16 mixed precision gives the float32 step's gradients to bfloat16's precision, for every
 * architecture, and switching back to float32 gives the float32 gradients again. Skipped, with the reason, on a CPU
 * without bfloat16 instructions.
 */
class Bf16StepTest {
    @BeforeAll
    static void bf16Cpu() {
        assumeTrue(
                !Double.isNaN(TrainStep.bf16ConvGflops(1, 1)),
                "this CPU has no bfloat16 instructions (AVX512_BF16 or AMX)");
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void gradientsMatchFloat32ToBfloat16Precision(Architecture arch) {
        UNetSpec spec = UNetSpec.of(arch, 16);
        try (UNetModel model = UNetModel.create(spec, 7, 1e-3, 1)) {
            Batch b = TrainStepTest.batch(spec, 6, 5);
            Map<String, INDArray> fp32 = model.stepGradients(b);
            model.precision(Precision.BF16);
            Map<String, INDArray> bf16 = model.stepGradients(b);
            model.stepGradients(b); // the second bf16 step runs on the layers' primitives made by the first
            model.precision(Precision.FP32);
            Map<String, INDArray> back = model.stepGradients(b);
            double all = 0;
            double allErr = 0;
            double largest = fp32.values().stream()
                    .mapToDouble(g -> g.norm2Number().doubleValue())
                    .max()
                    .orElseThrow();
            for (String name : fp32.keySet()) {
                INDArray e = fp32.get(name);
                double norm = e.norm2Number().doubleValue();
                double err = e.sub(bf16.get(name)).norm2Number().doubleValue();
                all += norm * norm;
                allErr += err * err;
                // a convolution's bias before a batch norm has a gradient of zero but for rounding, in both
                assertTrue(
                        err <= 0.05 * norm + 3e-3 * largest,
                        arch + " " + name + ": error " + err + " against " + norm + " (largest " + largest + ")");
                double again = e.sub(back.get(name)).amaxNumber().doubleValue();
                assertTrue(again <= 1e-6 * (1 + e.amaxNumber().doubleValue()), name + " back in fp32: " + again);
            }
            assertTrue(all > 1e-6, "the gradients are not trivially zero");
            assertTrue(Math.sqrt(allErr / all) <= 0.04, arch + ": relative error " + Math.sqrt(allErr / all));
        }
    }
}
