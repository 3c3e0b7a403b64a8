package io.campanile.testpacks.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.campanile.diffusion.tensor.Tensor;
import io.campanile.packs.ModelPack;
import io.campanile.testpacks.TestFunctions;
import io.campanile.testpacks.TestPacks;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each test graph in ONNX Runtime (loaded from its file path) against its Java reference, at batch 1 and 3. */
class OrtParityTest {
    private static final double TOLERANCE = 1e-4;
    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

    @TempDir
    static Path root;

    private static final Map<String, OrtSession> SESSIONS = new LinkedHashMap<>();
    private final Random random = new Random(180);

    @BeforeAll
    static void install() throws OrtException {
        for (ModelPack p : TestPacks.installAll(root)) {
            SESSIONS.put(p.id(), ENV.createSession(p.onnxFile().toString(), new OrtSession.SessionOptions()));
        }
    }

    @AfterAll
    static void close() throws OrtException {
        for (OrtSession s : SESSIONS.values()) {
            s.close();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void stage1(int batch) throws OrtException {
        Tensor x = uniform(batch, 3, 64, 64);
        long[] t = timesteps(batch, 1000);
        Tensor ehs = gaussian(batch, 77, 4096);
        Tensor expected = TestFunctions.stage1(x, t, ehs);
        for (String id : new String[] {TestPacks.STAGE1, TestPacks.STAGE1_EXTERNAL}) {
            Map<String, OnnxTensor> in = new LinkedHashMap<>();
            in.put("sample", floats(x));
            in.put("timestep", longs(t));
            in.put("encoder_hidden_states", floats(ehs));
            assertClose(id, expected, run(id, in));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void stage2(int batch) throws OrtException {
        Tensor x = uniform(batch, 6, 256, 256);
        long[] t = timesteps(batch, 1000);
        long[] labels = timesteps(batch, 1000);
        Tensor ehs = gaussian(batch, 77, 4096);
        Map<String, OnnxTensor> in = new LinkedHashMap<>();
        in.put("sample", floats(x));
        in.put("timestep", longs(t));
        in.put("encoder_hidden_states", floats(ehs));
        in.put("class_labels", longs(labels));
        assertClose(TestPacks.STAGE2, TestFunctions.stage2(x, t, ehs, labels), run(TestPacks.STAGE2, in));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void mnistClass(int batch) throws OrtException {
        Tensor x = uniform(batch, 1, 28, 28);
        long[] t = timesteps(batch, 300);
        Tensor cv = Tensor.zeros(batch, 10);
        for (int b = 0; b < batch - 1; b++) { // the last sample stays unconditional
            cv.data()[b * 10 + random.nextInt(10)] = 1f;
        }
        long[] rows = new long[batch];
        for (int b = 0; b < batch; b++) {
            rows[b] = b;
        }
        Map<String, OnnxTensor> in = new LinkedHashMap<>();
        in.put("sample", floats(x));
        in.put("sample_index", longs(rows));
        in.put("timestep", longs(t));
        in.put("class_vector", floats(cv));
        assertClose(TestPacks.MNIST_CLASS, TestFunctions.mnistClass(x, t, cv), run(TestPacks.MNIST_CLASS, in));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void unconditional(int batch) throws OrtException {
        Tensor x = uniform(batch, 3, 32, 32);
        long[] t = timesteps(batch, 1000);
        Map<String, OnnxTensor> in = new LinkedHashMap<>();
        in.put("sample", floats(x));
        in.put("timestep", longs(t));
        assertClose(TestPacks.UNCONDITIONAL, TestFunctions.unconditional(x, t), run(TestPacks.UNCONDITIONAL, in));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void t5(int batch) throws OrtException {
        long[][] ids = new long[batch][77];
        long[][] mask = new long[batch][77];
        long[] flatIds = new long[batch * 77];
        long[] flatMask = new long[batch * 77];
        for (int b = 0; b < batch; b++) {
            int length = 1 + random.nextInt(77);
            for (int i = 0; i < length; i++) {
                ids[b][i] = i == length - 1 ? 1 : random.nextInt(TestFunctions.T5_VOCAB);
                mask[b][i] = 1;
                flatIds[b * 77 + i] = ids[b][i];
                flatMask[b * 77 + i] = 1;
            }
        }
        Map<String, OnnxTensor> in = new LinkedHashMap<>();
        in.put("input_ids", OnnxTensor.createTensor(ENV, LongBuffer.wrap(flatIds), new long[] {batch, 77}));
        in.put("attention_mask", OnnxTensor.createTensor(ENV, LongBuffer.wrap(flatMask), new long[] {batch, 77}));
        assertClose(TestPacks.T5_ENCODER, TestFunctions.t5(ids, mask), run(TestPacks.T5_ENCODER, in));
    }

    @Test
    void benchRunsAndStaysSmall() throws OrtException {
        int batch = 2;
        Tensor x = uniform(batch, 3, 64, 64);
        long[] t = timesteps(batch, 1000);
        Tensor ehs = gaussian(batch, 77, 4096);
        Tensor out = null;
        for (int i = 0; i < 3; i++) { // the first run is a warm-up
            Map<String, OnnxTensor> in = new LinkedHashMap<>();
            in.put("sample", floats(x));
            in.put("timestep", longs(t));
            in.put("encoder_hidden_states", floats(ehs));
            long started = System.nanoTime();
            out = run(TestPacks.BENCH, in);
            System.out.printf("bench-if-stage1, batch 2, run %d: %.1f ms%n", i, (System.nanoTime() - started) / 1e6);
        }
        assertArrayEquals(new int[] {batch, 6, 64, 64}, out.shape());
        double sumAbs = 0;
        for (float v : out.data()) {
            assertTrue(Float.isFinite(v));
            sumAbs += Math.abs(v);
        }
        double meanAbs = sumAbs / out.size();
        assertTrue(meanAbs > 0.05 && meanAbs < 3, "mean |out| = " + meanAbs);
    }

    private static Tensor run(String id, Map<String, OnnxTensor> inputs) throws OrtException {
        try (OrtSession.Result result = SESSIONS.get(id).run(inputs);
                OnnxTensor out = (OnnxTensor) result.get(0)) {
            long[] shape = out.getInfo().getShape();
            int[] dims = new int[shape.length];
            for (int i = 0; i < shape.length; i++) {
                dims[i] = Math.toIntExact(shape[i]);
            }
            FloatBuffer buffer = out.getFloatBuffer();
            float[] data = new float[buffer.remaining()];
            buffer.get(data);
            return new Tensor(dims, data);
        } finally {
            for (OnnxTensor t : inputs.values()) {
                t.close();
            }
        }
    }

    private static void assertClose(String id, Tensor expected, Tensor actual) {
        assertArrayEquals(expected.shape(), actual.shape(), id);
        double max = 0;
        for (int i = 0; i < expected.size(); i++) {
            max = Math.max(max, Math.abs(expected.data()[i] - actual.data()[i]));
        }
        assertTrue(max < TOLERANCE, id + ": max |ort - reference| = " + max);
    }

    private Tensor uniform(int... shape) {
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.size(); i++) {
            t.data()[i] = random.nextFloat() * 2 - 1;
        }
        return t;
    }

    private Tensor gaussian(int... shape) {
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.size(); i++) {
            t.data()[i] = (float) random.nextGaussian();
        }
        return t;
    }

    private long[] timesteps(int batch, int bound) {
        long[] t = new long[batch];
        for (int i = 0; i < batch; i++) {
            t[i] = random.nextInt(bound);
        }
        return t;
    }

    private static OnnxTensor floats(Tensor t) throws OrtException {
        long[] shape = new long[t.rank()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = t.dim(i);
        }
        return OnnxTensor.createTensor(ENV, FloatBuffer.wrap(t.data()), shape);
    }

    private static OnnxTensor longs(long[] values) throws OrtException {
        return OnnxTensor.createTensor(ENV, LongBuffer.wrap(values), new long[] {values.length});
    }
}
