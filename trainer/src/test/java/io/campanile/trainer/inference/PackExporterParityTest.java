package io.campanile.trainer.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.campanile.contracts.jobs.Architecture;
import io.campanile.contracts.jobs.Precision;
import io.campanile.trainer.model.Batch;
import io.campanile.trainer.model.EpsilonModel;
import io.campanile.trainer.model.TrainParams;
import io.campanile.trainer.model.UNetSpec;
import io.campanile.trainer.service.DdpmSampler;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The exported ONNX graph computes what the DL4J model computes (max abs difference under 1e-4). */
class PackExporterParityTest {
    @ParameterizedTest
    @EnumSource(
            value = Architecture.class,
            names = {"TIME_CONDITIONED", "CLASS_CONDITIONED"})
    void exportedGraphMatchesTheDl4jModel(Architecture arch, @TempDir Path dir) throws Exception {
        int steps = 300;
        UNetSpec spec = UNetSpec.of(arch, 8);
        TrainParams params = new TrainParams(arch, 1, 4, 1e-3, 8, 0.5, steps, 0.1, 0, 11, 5, List.of(), Precision.FP32);
        try (UNetModel model = UNetModel.create(spec, 11, 1e-2, 1)) {
            for (int i = 0; i < 3; i++) { // move weights and running statistics away from their initial values
                model.fit(UNetGraphTest.randomBatch(spec, 6, i));
            }
            PackExporter.export(model, params, "parity", dir);
            var m = new ObjectMapper().readTree(dir.resolve("manifest.json").toFile());
            assertEquals(
                    arch == Architecture.CLASS_CONDITIONED ? "class" : "none",
                    m.get("conditioning").asText());
            assertEquals(steps, m.get("scheduler").get("num_train_timesteps").asInt());
            assertEquals("linear", m.get("scheduler").get("beta_schedule").asText());
            assertEquals("fixed_large", m.get("scheduler").get("variance_type").asText());
            assertEquals("[0,1]", m.get("value_range").asText());

            int n = 5;
            SplittableRandom r = new SplittableRandom(99);
            Batch b = UNetGraphTest.randomBatch(spec, n, 42);
            long[] timesteps = new long[n];
            float[] tNorm = new float[n];
            for (int i = 0; i < n; i++) {
                timesteps[i] = r.nextInt(steps);
                tNorm[i] = timesteps[i] / (float) steps;
            }
            float[] c = b.c().clone();
            Arrays.fill(c, 0, 10, 0f); // one unconditional row
            float[] expected = model.predict(b.x(), tNorm, c, n);

            OrtEnvironment env = OrtEnvironment.getEnvironment();
            try (OrtSession s = env.createSession(Files.readAllBytes(dir.resolve(PackExporter.ONNX_FILE)));
                    OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(b.x()), new long[] {n, 1, 28, 28});
                    OnnxTensor t = OnnxTensor.createTensor(env, LongBuffer.wrap(timesteps), new long[] {n});
                    OnnxTensor cv = OnnxTensor.createTensor(env, FloatBuffer.wrap(c), new long[] {n, 10});
                    OnnxTensor rows = OnnxTensor.createTensor(
                            env, LongBuffer.wrap(LongStream.range(0, n).toArray()), new long[] {n})) {
                Map<String, OnnxTensor> in = new HashMap<>();
                in.put("sample", x);
                in.put("timestep", t);
                if (arch == Architecture.CLASS_CONDITIONED) {
                    in.put("class_vector", cv);
                    in.put("sample_index", rows);
                }
                try (OrtSession.Result res = s.run(in)) {
                    float[] actual = ((OnnxTensor) res.get("out_sample").get())
                            .getFloatBuffer()
                            .array();
                    assertEquals(expected.length, actual.length);
                    double max = 0;
                    double norm = 0;
                    for (int i = 0; i < actual.length; i++) {
                        max = Math.max(max, Math.abs(actual[i] - expected[i]));
                        norm = Math.max(norm, Math.abs(expected[i]));
                    }
                    assertTrue(norm > 1e-3, "outputs are not trivially zero");
                    assertTrue(max < 1e-4, "max abs difference " + max);
                }
            }
        }
    }

    /** float16 weights halve the graph file; it still loads and computes what the float pack does, to fp16 rounding. */
    @Test
    void halfWeightsHalveThePackAndKeepItsNumbers(@TempDir Path dir) throws Exception {
        compareWithFloat(dir, WeightFormat.FP16, 0.55, 2e-2);
    }

    /**
     * int8 weights with per-channel scales take about a quarter of the graph file; the graph dequantizes them and
     * computes in float, to int8 rounding (half a step of max |w| / 127 a weight).
     */
    @Test
    void int8WeightsQuarterThePackAndKeepItsNumbers(@TempDir Path dir) throws Exception {
        compareWithFloat(dir, WeightFormat.INT8, 0.3, 5e-2);
    }

    /** Exports one trained model in float and in {@code format}; compares sizes, manifests and outputs. */
    private static void compareWithFloat(Path dir, WeightFormat format, double maxSize, double maxDiff)
            throws Exception {
        UNetSpec spec = UNetSpec.of(Architecture.CLASS_CONDITIONED, 16);
        TrainParams params = new TrainParams(
                Architecture.CLASS_CONDITIONED, 1, 4, 1e-3, 16, 0.5, 300, 0.1, 0, 11, 5, List.of(), Precision.FP32);
        try (UNetModel model = UNetModel.create(spec, 11, 1e-2, 1)) {
            for (int i = 0; i < 3; i++) {
                model.fit(UNetGraphTest.randomBatch(spec, 6, i));
            }
            PackExporter.export(model, params, "full", dir.resolve("full"));
            PackExporter.export(model, params, "small", dir.resolve("small"), format);
            long full = Files.size(dir.resolve("full").resolve(PackExporter.ONNX_FILE));
            long small = Files.size(dir.resolve("small").resolve(PackExporter.ONNX_FILE));
            assertTrue(small < maxSize * full, format + ": " + small + " bytes against " + full);
            assertTrue(new ObjectMapper()
                    .readTree(dir.resolve("small").resolve("manifest.json").toFile())
                    .get("description")
                    .asText()
                    .endsWith(format.description()));
            int n = 6;
            Batch b = UNetGraphTest.randomBatch(spec, n, 3);
            long[] timesteps = LongStream.range(0, n).map(i -> 40 * i + 7).toArray();
            float[] a = run(dir.resolve("full"), b, timesteps, n);
            float[] h = run(dir.resolve("small"), b, timesteps, n);
            double norm = 0;
            for (float v : a) {
                norm = Math.max(norm, Math.abs(v));
            }
            double diff = maxAbs(a, h);
            assertTrue(diff > 0, "the weights were rounded, so some output differs");
            assertTrue(diff < maxDiff * norm, "max abs difference " + diff + " against outputs up to " + norm);
        }
    }

    private static float[] run(Path pack, Batch b, long[] timesteps, int n) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession s = env.createSession(Files.readAllBytes(pack.resolve(PackExporter.ONNX_FILE)));
                OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(b.x()), new long[] {n, 1, 28, 28});
                OnnxTensor t = OnnxTensor.createTensor(env, LongBuffer.wrap(timesteps), new long[] {n});
                OnnxTensor cv = OnnxTensor.createTensor(env, FloatBuffer.wrap(b.c()), new long[] {n, 10});
                OnnxTensor rows = OnnxTensor.createTensor(
                        env, LongBuffer.wrap(LongStream.range(0, n).toArray()), new long[] {n});
                OrtSession.Result res =
                        s.run(Map.of("sample", x, "timestep", t, "class_vector", cv, "sample_index", rows))) {
            return ((OnnxTensor) res.get("out_sample").get()).getFloatBuffer().array();
        }
    }

    /**
     * Classifier-free guidance with the encoder shared by an image's two rows gives the numbers of the two rows run
     * apart, in the exported graph and in the trainer's own step; and a whole sampling run draws the same digits.
     */
    @Test
    void guidanceWithASharedEncoderChangesNoNumber() {
        UNetSpec spec = UNetSpec.of(Architecture.CLASS_CONDITIONED, 8);
        int steps = 40;
        try (UNetModel model = UNetModel.create(spec, 11, 1e-2, 1)) {
            for (int i = 0; i < 3; i++) {
                model.fit(UNetGraphTest.randomBatch(spec, 6, i));
            }
            int n = 4;
            Batch b = UNetGraphTest.randomBatch(spec, n, 7);
            float t = 17 / (float) steps;
            EpsilonModel step = model::predict;
            float[] reference = step.guided(b.x(), t, b.c(), n, 5f);
            try (OnnxEpsilon shared = OnnxEpsilon.of(model, steps, true);
                    OnnxEpsilon apart = OnnxEpsilon.of(model, steps, false)) {
                assertTrue(shared.sharesEncoder());
                assertFalse(apart.sharesEncoder());
                float[] s = shared.guided(b.x(), t, b.c(), n, 5f);
                float[] a = apart.guided(b.x(), t, b.c(), n, 5f);
                assertTrue(maxAbs(s, reference) < 1e-4, "shared vs the training step: " + maxAbs(s, reference));
                assertTrue(maxAbs(s, a) < 1e-5, "shared vs apart: " + maxAbs(s, a));
                float[] classes = DdpmSampler.digitClasses(1);
                float[] drawnShared = new DdpmSampler(shared, steps).sample(10, classes, 5.0, 3, null);
                float[] drawnApart = new DdpmSampler(apart, steps).sample(10, classes, 5.0, 3, null);
                assertTrue(maxAbs(drawnShared, drawnApart) < 1e-4, "images: " + maxAbs(drawnShared, drawnApart));
            }
        }
    }

    private static double maxAbs(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
