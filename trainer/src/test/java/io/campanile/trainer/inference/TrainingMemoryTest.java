package io.campanile.trainer.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.campanile.contracts.jobs.Architecture;
import io.campanile.contracts.jobs.TrainingMemory;
import io.campanile.trainer.model.Batch;
import io.campanile.trainer.model.UNetSpec;
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
        UNetSpec spec = UNetSpec.of(arch, d);
        try (UNetModel model = UNetModel.create(spec, 5, 1e-3, 1)) {
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
            long estimate = TrainingMemory.bytes(arch, d, batch);
            System.out.printf(
                    "%s B %d D %d: held %d, estimated %d (%.3f)%n",
                    arch, batch, d, held, estimate, (double) estimate / held);
            assertTrue(estimate >= held, arch + " B " + batch + " D " + d + ": " + estimate + " < " + held);
            assertTrue(estimate <= held * 1.05, arch + " B " + batch + " D " + d + ": " + estimate + " >> " + held);
        }
    }
}
