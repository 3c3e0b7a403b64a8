package io.campanile.trainer.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.campanile.contracts.jobs.Architecture;
import io.campanile.trainer.model.Batch;
import io.campanile.trainer.model.UNetSpec;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class UNetGraphTest {
    static Batch randomBatch(UNetSpec spec, int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * 784];
        float[] target = new float[n * 784];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
            target[i] = (float) r.nextGaussian() * 0.5f;
        }
        float[] t = new float[n];
        float[] c = new float[n * spec.numClasses()];
        for (int i = 0; i < n; i++) {
            t[i] = r.nextInt(300) / 300f;
            c[i * spec.numClasses() + r.nextInt(spec.numClasses())] = 1;
        }
        return new Batch(x, t, c, target, n);
    }

    @Test
    void geluIsTheExactErfForm() {
        UNetGraph g = UNetGraph.build(UNetSpec.of(Architecture.DENOISER, 2), false, 1);
        SameDiff sd = g.sameDiff();
        SDVariable in = sd.placeHolder("gin", DataType.FLOAT, 3);
        g.gelu(in).rename("gout");
        INDArray v = sd.output(Map.of("gin", Nd4j.createFromArray(1f, -1f, 2f)), "gout")
                .get("gout");
        assertEquals(0.841345, v.getDouble(0), 1e-5); // sigmoid approximation: 0.8458
        assertEquals(-0.158655, v.getDouble(1), 1e-5);
        assertEquals(1.954500, v.getDouble(2), 1e-5);
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void everyArchitectureMapsAnImageToAnImage(Architecture arch) {
        UNetSpec spec = UNetSpec.of(arch, 4);
        try (UNetModel model = UNetModel.create(spec, 7, 1e-3, 1)) {
            Batch b = randomBatch(spec, 3, 1);
            float[] out = model.predict(b.x(), b.t(), b.c(), 3);
            assertEquals(3 * 784, out.length);
            double loss = model.fit(b);
            assertTrue(Double.isFinite(loss) && loss > 0, "loss " + loss);
        }
    }

    @Test
    void batchNormTracksRunningStatisticsLikePyTorch() {
        UNetSpec spec = UNetSpec.of(Architecture.DENOISER, 2);
        try (UNetModel model = UNetModel.create(spec, 7, 1e-3, 1)) {
            Batch b = randomBatch(spec, 4, 2);
            model.fit(b);
            Map<String, INDArray> w = model.weights();
            INDArray rmean = w.get("e1_a_rmean");
            INDArray rvar = w.get("e1_a_rvar");
            // after one step from (0, 1): 0.1 * batch mean, 0.9 + 0.1 * unbiased batch variance; not the init
            assertTrue(rmean.amaxNumber().doubleValue() > 0, "running mean moved");
            assertTrue(Math.abs(rvar.getDouble(0) - 1.0) > 1e-6, "running variance moved");
            assertEquals(1, rmean.shape()[0]);
            assertEquals(2, rmean.shape()[1]);
        }
    }

    @Test
    void trainingReducesTheLossOnAFixedBatch() {
        UNetSpec spec = UNetSpec.of(Architecture.CLASS_CONDITIONED, 4);
        try (UNetModel model = UNetModel.create(spec, 3, 1e-2, 1)) {
            Batch b = randomBatch(spec, 8, 3);
            double first = model.fit(b);
            double last = first;
            for (int i = 0; i < 30; i++) {
                last = model.fit(b);
            }
            assertTrue(last < first * 0.9, first + " -> " + last);
        }
    }

    @Test
    void checkpointRoundTripKeepsWeightsAndOutputs(@TempDir Path dir) throws Exception {
        UNetSpec spec = UNetSpec.of(Architecture.TIME_CONDITIONED, 4);
        Batch b = randomBatch(spec, 2, 4);
        float[] before;
        Path file = dir.resolve("ckpt.sd");
        try (UNetModel model = UNetModel.create(spec, 5, 1e-3, 1)) {
            model.fit(b);
            model.save(file);
            before = model.predict(b.x(), b.t(), b.c(), 2);
        }
        try (UNetModel loaded = UNetModel.load(spec, file)) {
            assertArrayEquals(before, loaded.predict(b.x(), b.t(), b.c(), 2), 1e-6f);
            assertTrue(Double.isFinite(loaded.fit(b)));
        }
    }
}
