package io.campanile.trainer.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.campanile.contracts.jobs.Architecture;
import io.campanile.contracts.jobs.Precision;
import io.campanile.contracts.jobs.TrainingMemory;
import io.campanile.trainer.model.Batch;
import io.campanile.trainer.model.UNetSpec;
import io.campanile.trainer.step.TrainStep;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The gateway's estimate of a train job's memory (libs/contracts {@link TrainingMemory}) against what the trainer's
 * arrays take: after two training steps and the largest forward pass the figures make (80 images), the estimate is
 * an upper bound within 5 %. Counted in bytes of arrays, so the test is exact and cannot be flaky.
 */
class TrainingMemoryTest {
    static Stream<Arguments> cases() {
        return Stream.of(Architecture.values())
                .flatMap(a -> Stream.of(Arguments.of(a, 8, 8), Arguments.of(a, 24, 8), Arguments.of(a, 8, 16)));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void theEstimateBoundsWhatTrainingHolds(Architecture arch, int batch, int d) {
        long held = held(arch, batch, d, Precision.FP32);
        long estimate = TrainingMemory.bytes(arch, d, batch);
        assertTrue(estimate <= held * 1.05, arch + " B " + batch + " D " + d + ": " + estimate + " >> " + held);
    }

    /**
     * In bf16 the step holds bfloat16 copies of the convolutions' inputs and oneDNN's buffers, and none of the float
     * backward's padded copies: the estimate for bf16 bounds it, within 5 % too.
     */
    @ParameterizedTest
    @MethodSource("cases")
    void theEstimateBoundsWhatBf16TrainingHolds(Architecture arch, int batch, int d) {
        assumeTrue(!Double.isNaN(TrainStep.bf16ConvGflops(1, 1)), "this CPU has no bfloat16 instructions");
        long held = held(arch, batch, d, Precision.BF16);
        long estimate = TrainingMemory.bytes(arch, d, batch, Precision.BF16);
        assertTrue(estimate <= held * 1.05, arch + " B " + batch + " D " + d + ": " + estimate + " >> " + held);
    }

    /** Bytes held after two steps and the figures' forward pass; asserts the estimate is at least that. */
    private static long held(Architecture arch, int batch, int d, Precision precision) {
        UNetSpec spec = UNetSpec.of(arch, d);
        try (UNetModel model = UNetModel.create(spec, 5, 1e-3, 1)) {
            model.precision(precision);
            long parameters =
                    model.weights().values().stream().mapToLong(w -> w.length()).sum();
            assertEquals(TrainingMemory.parameters(arch, d), parameters, "parameters of " + arch + " at D " + d);
            model.fit(Batch.random(batch, spec.numClasses(), 4, 1));
            model.fit(Batch.random(batch, spec.numClasses(), 4, 2)); // on recycled arrays
            int n = 80;
            float[] t = new float[n];
            Arrays.fill(t, 0.5f);
            model.predict(new float[n * 28 * 28], t, new float[n * spec.numClasses()], n);
            long held = model.trainingBytes();
            long estimate = TrainingMemory.bytes(arch, d, batch, precision);
            System.out.printf(
                    "%s %s B %d D %d: held %d, estimated %d (%.3f)%n",
                    precision, arch, batch, d, held, estimate, (double) estimate / held);
            assertTrue(estimate >= held, arch + " B " + batch + " D " + d + ": " + estimate + " < " + held);
            return held;
        }
    }
}
