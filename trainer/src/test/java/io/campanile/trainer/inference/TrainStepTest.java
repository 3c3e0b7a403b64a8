package io.campanile.trainer.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.campanile.contracts.jobs.Architecture;
import io.campanile.trainer.model.Batch;
import io.campanile.trainer.model.UNetSpec;
import io.campanile.trainer.step.ChannelOps;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.AdamUpdater;

/** The hand-written training step against SameDiff's autodiff of the same graph. */
class TrainStepTest {
    /** Random inputs with every fourth class vector zero, as p_uncond makes some. */
    static Batch batch(UNetSpec spec, int n, long seed) {
        return Batch.random(n, spec.numClasses(), 4, seed);
    }

    static Stream<Arguments> cases() {
        ChannelOps vector = ChannelOps.vector();
        assertNotNull(vector, "the tests run with --add-modules jdk.incubator.vector (see the trainer's pom)");
        // D 4 has channel counts below the vector length (the vector form hands them to the scalar one); D 16 runs
        // every kernel in vectors
        return Stream.of(Architecture.values())
                .flatMap(a -> Stream.of(
                        Arguments.of(a, ChannelOps.scalar(), 4),
                        Arguments.of(a, vector, 4),
                        Arguments.of(a, vector, 16)));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void everyWeightGradientMatchesAutodiff(Architecture arch, ChannelOps ops, int d) {
        UNetSpec spec = UNetSpec.of(arch, d);
        try (UNetModel model = UNetModel.create(spec, 7, 1e-3, 1, ops)) {
            for (int round = 0; round < 2; round++) { // the second round runs on recycled arrays
                Batch b = batch(spec, 6, 11 + round);
                Map<String, INDArray> expected = model.referenceGradients(b);
                Map<String, INDArray> got = model.stepGradients(b);
                assertEquals(expected.keySet(), got.keySet());
                for (String name : expected.keySet()) {
                    INDArray e = expected.get(name).reshape(got.get(name).shape());
                    double scale = e.amaxNumber().doubleValue();
                    double diff = e.sub(got.get(name)).amaxNumber().doubleValue();
                    assertTrue(
                            diff <= 2e-4 * scale + 1e-6,
                            arch + " D " + d + " " + ops.name() + " round " + round + " " + name + ": max diff " + diff
                                    + ", max |grad| " + scale);
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void inferenceMatchesTheSameDiffInferenceGraph(Architecture arch, ChannelOps ops, int d) {
        UNetSpec spec = UNetSpec.of(arch, d);
        try (UNetModel model = UNetModel.create(spec, 3, 1e-2, 1, ops)) {
            for (int i = 0; i < 3; i++) { // moves the weights and the running statistics away from their start
                model.fit(batch(spec, 8, 20 + i));
            }
            Batch b = batch(spec, 5, 99);
            float[] expected = model.referencePredict(b.x(), b.t(), b.c(), b.n());
            float[] got = model.predict(b.x(), b.t(), b.c(), b.n());
            assertEquals(expected.length, got.length);
            double worst = 0;
            double scale = 0;
            for (int i = 0; i < got.length; i++) {
                worst = Math.max(worst, Math.abs(expected[i] - got[i]));
                scale = Math.max(scale, Math.abs(expected[i]));
            }
            assertTrue(scale > 1e-3, "a network that outputs nothing proves nothing");
            assertTrue(worst < 1e-4 * Math.max(1, scale), arch + " D " + d + " " + ops.name() + ": max diff " + worst);
        }
    }

    @Test
    void runningStatisticsFollowPyTorchsUpdate() {
        UNetSpec spec = UNetSpec.of(Architecture.CLASS_CONDITIONED, 8);
        try (UNetModel model = UNetModel.create(spec, 3, 1e-3, 1, ChannelOps.BEST)) {
            Batch b = batch(spec, 6, 42);
            Map<String, INDArray> stats =
                    model.referenceOutputs(b, "e1_a_bmean", "e1_a_bvar", "u1_b_bmean", "u1_b_bvar");
            model.fit(b);
            Map<String, INDArray> w = model.weights();
            for (String bn : new String[] {"e1_a", "u1_b"}) {
                double n = 6.0 * (bn.startsWith("e1") ? 784 : 196); // values per channel in the batch
                float[] mean = stats.get(bn + "_bmean").data().asFloat();
                float[] var = stats.get(bn + "_bvar").data().asFloat();
                float[] rmean = w.get(bn + "_rmean").data().asFloat();
                float[] rvar = w.get(bn + "_rvar").data().asFloat();
                for (int c = 0; c < mean.length; c++) { // from running mean 0 and variance 1
                    assertEquals(0.1 * mean[c], rmean[c], 1e-5 * (1 + Math.abs(mean[c])), bn + " mean " + c);
                    assertEquals(0.9 + 0.1 * var[c] * n / (n - 1), rvar[c], 1e-5 * (1 + var[c]), bn + " var " + c);
                }
            }
        }
    }

    @Test
    void aCheckpointOfTheSameDiffFitTrainerResumesWithItsAdamState(@TempDir Path dir) throws Exception {
        UNetSpec spec = UNetSpec.of(Architecture.TIME_CONDITIONED, 4);
        SameDiff sd = UNetGraph.build(spec, true, 1).sameDiff();
        sd.setTrainingConfig(UNetModel.trainingConfig(spec, 1e-3, 1));
        for (int i = 0; i < 2; i++) { // what the earlier trainer did per batch
            Batch b = batch(spec, 4, 60 + i);
            sd.fit(new MultiDataSet(
                    new INDArray[] {
                        Nd4j.create(b.x(), new long[] {4, 1, 28, 28}, 'c'), Nd4j.create(b.t(), new long[] {4, 1}, 'c')
                    },
                    new INDArray[] {Nd4j.create(b.target(), new long[] {4, 1, 28, 28}, 'c')}));
        }
        Path file = dir.resolve("old.sd");
        sd.save(file.toFile(), true);
        AdamUpdater u = (AdamUpdater) sd.getUpdaterMap().get("e1_a_W");
        try (UNetModel model = UNetModel.load(spec, file)) {
            INDArray[] state = model.adamState("e1_a_W");
            INDArray m = u.getM().reshape('c', state[0].shape());
            assertTrue(m.amaxNumber().doubleValue() > 0, "the earlier trainer's moments are not zero");
            assertEquals(0, m.sub(state[0]).amaxNumber().doubleValue(), 1e-7);
            assertEquals(
                    0,
                    u.getV()
                            .reshape('c', state[1].shape())
                            .sub(state[1])
                            .amaxNumber()
                            .doubleValue(),
                    1e-9);
            assertEquals(2.0, state[2].getDouble(0));
            assertTrue(Double.isFinite(model.fit(batch(spec, 4, 70))));
        }
    }
}
