package io.campanile.onnx.inference;

import static io.campanile.onnx.inference.TestPackDirs.replace;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import io.campanile.diffusion.tensor.Tensor;
import io.campanile.onnx.OnnxOptions;
import io.campanile.packs.ModelPack;
import io.campanile.packs.PackException;
import io.campanile.testpacks.TestFunctions;
import io.campanile.testpacks.TestPacks;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** UnetModel on the test packs, against their Java reference functions. */
class UnetModelTest {
    private static final double TOLERANCE = 1e-4;
    private static final OnnxOptions CPU = OnnxOptions.defaults();

    @TempDir
    static Path root;

    private final Random random = new Random(5);

    @BeforeAll
    static void install() {
        TestPacks.installAll(root);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void stage1MatchesItsReference(int batch) {
        try (UnetModel unet = UnetModel.load(TestPacks.stage1(root), CPU)) {
            assertFalse(unet.upscaler());
            Tensor x = uniform(batch, 3, 64, 64);
            long[] t = timesteps(batch);
            Tensor ehs = gaussian(batch, 77, 4096);
            assertClose(TestFunctions.stage1(x, t, ehs), unet.run(UnetInput.text(x, t, ehs)));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void externalDataPackLoadsAndMatches(int batch) {
        try (UnetModel unet = UnetModel.load(TestPacks.stage1External(root), CPU)) {
            Tensor x = uniform(batch, 3, 64, 64);
            long[] t = timesteps(batch);
            Tensor ehs = gaussian(batch, 77, 4096);
            assertClose(TestFunctions.stage1(x, t, ehs), unet.run(UnetInput.text(x, t, ehs)));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void stage2IsAnUpscaler(int batch) {
        try (UnetModel unet = UnetModel.load(TestPacks.stage2(root), CPU)) {
            assertTrue(unet.upscaler());
            Tensor x = uniform(batch, 6, 256, 256);
            long[] t = timesteps(batch);
            long[] noise = timesteps(batch);
            Tensor ehs = gaussian(batch, 77, 4096);
            assertClose(TestFunctions.stage2(x, t, ehs, noise), unet.run(UnetInput.upscale(x, t, ehs, noise)));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void mnistClassConditioning(int batch) {
        try (UnetModel unet = UnetModel.load(TestPacks.mnistClass(root), CPU)) {
            Tensor x = uniform(batch, 1, 28, 28);
            long[] t = timesteps(batch);
            Tensor cv = Tensor.zeros(batch, 10);
            for (int b = 0; b < batch; b++) {
                cv.data()[b * 10 + random.nextInt(10)] = b == batch - 1 && batch > 1 ? 0f : 1f;
            }
            assertClose(TestFunctions.mnistClass(x, t, cv), unet.run(UnetInput.classes(x, t, cv)));
        }
    }

    /** Rows that share samples (classifier-free guidance): n samples, 2n rows, row i and n + i on sample i. */
    private static long[] twinRows(int n) {
        long[] index = new long[2 * n];
        for (int i = 0; i < n; i++) {
            index[i] = i;
            index[n + i] = i;
        }
        return index;
    }

    /** Row i of the result is sample index[i]: the expanded batch. */
    private static Tensor expand(Tensor samples, long[] index) {
        int plane = samples.size() / samples.dim(0);
        int[] shape = samples.shape().clone();
        shape[0] = index.length;
        Tensor out = new Tensor(shape, new float[index.length * plane]);
        for (int r = 0; r < index.length; r++) {
            System.arraycopy(samples.data(), (int) index[r] * plane, out.data(), r * plane, plane);
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void aSharedEncoderGraphTakesEachSampleOnceForItsRows(int n) {
        try (UnetModel unet = UnetModel.load(TestPacks.mnistClass(root), CPU)) {
            assertTrue(unet.sharesEncoder());
            Tensor x = uniform(n, 1, 28, 28);
            long[] index = twinRows(n);
            long[] t = timesteps(2 * n);
            Tensor cv = Tensor.zeros(2 * n, 10);
            for (int b = 0; b < n; b++) { // conditional rows first, their unconditional twins (zeros) after
                cv.data()[b * 10 + random.nextInt(10)] = 1f;
            }
            Tensor shared = unet.run(UnetInput.classes(x, t, cv).sharing(index));
            assertArrayEquals(new int[] {2 * n, 1, 28, 28}, shared.shape());
            assertClose(TestFunctions.mnistClass(expand(x, index), t, cv), shared);
            // and the same call with the rows written out
            assertArrayEquals(
                    unet.run(UnetInput.classes(expand(x, index), t, cv)).data(), shared.data(), 0f);
        }
    }

    @Test
    void anyOtherGraphGetsSharedRowsExpanded() {
        try (UnetModel unet = UnetModel.load(TestPacks.stage1(root), CPU)) {
            assertFalse(unet.sharesEncoder());
            Tensor x = uniform(2, 3, 64, 64);
            long[] index = {1, 0, 1, 1};
            long[] t = timesteps(4);
            Tensor ehs = gaussian(4, 77, 4096);
            Tensor out = unet.run(UnetInput.text(x, t, ehs).sharing(index));
            assertClose(TestFunctions.stage1(expand(x, index), t, ehs), out);
        }
    }

    @Test
    void aSampleIndexOutsideTheSamplesNamesTheInput() {
        try (UnetModel unet = UnetModel.load(TestPacks.mnistClass(root), CPU)) {
            Tensor x = uniform(2, 1, 28, 28);
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> unet.run(UnetInput.classes(x, timesteps(2), Tensor.zeros(2, 10))
                            .sharing(new long[] {0, 2})));
            assertTrue(e.getMessage().startsWith("sample_index: 2 is not one of the 2 samples"), e.getMessage());
        }
    }

    @Test
    void buffersFollowTheBatchSizeAndCountersAddUp() {
        try (UnetModel unet = UnetModel.load(TestPacks.unconditional(root), CPU)) {
            for (int batch : new int[] {2, 2, 1, 3, 3}) {
                Tensor x = uniform(batch, 3, 32, 32);
                long[] t = timesteps(batch);
                assertClose(TestFunctions.unconditional(x, t), unet.run(UnetInput.unconditional(x, t)));
            }
            assertEquals(5, unet.runs());
            assertTrue(unet.runNanos() > 0);
            unet.resetCounters();
            assertEquals(0, unet.runs());
            assertEquals(0, unet.runNanos());
        }
    }

    @Test
    void inputsAreNotModified() {
        try (UnetModel unet = UnetModel.load(TestPacks.stage1(root), CPU)) {
            Tensor x = uniform(2, 3, 64, 64);
            Tensor before = x.copy();
            unet.run(UnetInput.text(x, new long[] {1, 2}, gaussian(2, 77, 4096)));
            assertArrayEquals(before.data(), x.data());
        }
    }

    @Test
    void wrongShapesNameTheInput() {
        try (UnetModel unet = UnetModel.load(TestPacks.stage1(root), CPU)) {
            long[] t = {1, 2};
            IllegalArgumentException sample = assertThrows(
                    IllegalArgumentException.class,
                    () -> unet.run(UnetInput.text(Tensor.zeros(2, 3, 32, 32), t, Tensor.zeros(2, 77, 4096))));
            assertEquals("sample: expected shape [2, 3, 64, 64] but got [2, 3, 32, 32]", sample.getMessage());
            IllegalArgumentException states = assertThrows(
                    IllegalArgumentException.class,
                    () -> unet.run(UnetInput.text(Tensor.zeros(2, 3, 64, 64), t, Tensor.zeros(2, 77, 1024))));
            assertTrue(
                    states.getMessage().startsWith("encoder_hidden_states: expected shape [2, 77, 4096]"),
                    states.getMessage());
            IllegalArgumentException steps = assertThrows(
                    IllegalArgumentException.class,
                    () -> unet.run(
                            UnetInput.text(Tensor.zeros(2, 3, 64, 64), new long[] {1}, Tensor.zeros(2, 77, 4096))));
            assertTrue(steps.getMessage().startsWith("timestep: "), steps.getMessage());
            IllegalArgumentException none = assertThrows(
                    IllegalArgumentException.class,
                    () -> unet.run(UnetInput.unconditional(Tensor.zeros(2, 3, 64, 64), t)));
            assertTrue(none.getMessage().startsWith("encoder_hidden_states: "), none.getMessage());
            IllegalArgumentException labels = assertThrows(
                    IllegalArgumentException.class,
                    () -> unet.run(UnetInput.upscale(Tensor.zeros(2, 3, 64, 64), t, Tensor.zeros(2, 77, 4096), t)));
            assertTrue(labels.getMessage().startsWith("class_labels: "), labels.getMessage());
            assertEquals(0, unet.runs());
        }
    }

    @Test
    void nanOutputFailsClearly() {
        try (UnetModel unet = UnetModel.load(TestPacks.unconditional(root), CPU)) {
            Tensor x = Tensor.zeros(2, 3, 32, 32);
            x.data()[3 * 32 * 32 + 7] = Float.NaN;
            NonFiniteOutputException e = assertThrows(
                    NonFiniteOutputException.class, () -> unet.run(UnetInput.unconditional(x, new long[] {990, 960})));
            assertTrue(
                    e.getMessage().startsWith("pack test-unconditional produced NaN at timestep 960"), e.getMessage());
        }
    }

    @Test
    void manifestGraphMismatchIsExplained(@TempDir Path other) throws Exception {
        ModelPack wrong = TestPackDirs.variant(
                TestPacks.stage1(root),
                other,
                "wrong-width",
                true,
                json -> replace(json, "[ 77, 4096 ]", "[ 77, 1024 ]"));
        PackException e = assertThrows(PackException.class, () -> UnetModel.load(wrong, CPU));
        assertEquals(
                "pack wrong-width: input encoder_hidden_states is float[batch,77,4096], the manifest says "
                        + "[batch,77,1024]",
                e.getMessage());
    }

    @Test
    void wrongImageSizeAndConditioningAreExplained(@TempDir Path other) throws Exception {
        ModelPack size = TestPackDirs.variant(
                TestPacks.stage1(root),
                other,
                "wrong-size",
                true,
                json -> replace(json, "\"image_size\" : 64", "\"image_size\" : 32"));
        assertEquals(
                "pack wrong-size: input sample is float[batch,3,64,64], the manifest says [batch,3,32,32]",
                assertThrows(PackException.class, () -> UnetModel.load(size, CPU))
                        .getMessage());
        ModelPack none = TestPackDirs.variant(
                TestPacks.stage1(root),
                other,
                "says-none",
                true,
                json -> replace(json, "\"conditioning\" : \"t5\"", "\"conditioning\" : \"none\""));
        String message = assertThrows(PackException.class, () -> UnetModel.load(none, CPU))
                .getMessage();
        assertTrue(
                message.startsWith("pack says-none: the graph has an input encoder_hidden_states that the "
                        + "manifest does not account for"),
                message);
        ModelPack variance = TestPackDirs.variant(
                TestPacks.unconditional(root),
                other,
                "says-variance",
                true,
                json -> replace(json, "\"output\" : \"epsilon\"", "\"output\" : \"epsilon_variance\""));
        assertEquals(
                "pack says-variance: output out_sample is float[batch,3,32,32], the manifest says " + "[batch,6,32,32]",
                assertThrows(PackException.class, () -> UnetModel.load(variance, CPU))
                        .getMessage());
    }

    @Test
    void missingGraphIsExplained(@TempDir Path other) throws Exception {
        ModelPack bare = TestPackDirs.variant(TestPacks.stage1(root), other, "not-installed", false, json -> json);
        PackException e = assertThrows(PackException.class, () -> UnetModel.load(bare, CPU));
        assertEquals("pack not-installed is not installed: " + bare.onnxFile() + " is missing", e.getMessage());
    }

    @Test
    void textEncoderIsNotAUnet() {
        PackException e = assertThrows(PackException.class, () -> UnetModel.load(TestPacks.t5Encoder(root), CPU));
        assertEquals("pack test-t5-encoder is a text-encoder, not a unet", e.getMessage());
    }

    @Test
    void cudaWithoutTheCudaBuildFailsByKey() {
        Assumptions.assumeFalse(OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA));
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> UnetModel.load(TestPacks.stage1(root), new OnnxOptions("cuda", 0, 0, "all")));
        assertTrue(
                e.getMessage()
                        .startsWith("campanile.onnx.execution-provider is cuda, but this ONNX Runtime has "
                                + "no CUDA provider"),
                e.getMessage());
    }

    @Test
    void everyOptimisationLevelAndThreadCountLoads() {
        for (String level : OnnxOptions.OPTIMIZATION_LEVELS) {
            try (UnetModel unet = UnetModel.load(TestPacks.unconditional(root), new OnnxOptions("cpu", 0, 1, level))) {
                Tensor x = uniform(1, 3, 32, 32);
                long[] t = {7};
                assertClose(TestFunctions.unconditional(x, t), unet.run(UnetInput.unconditional(x, t)));
            }
        }
    }

    private static void assertClose(Tensor expected, Tensor actual) {
        assertArrayEquals(expected.shape(), actual.shape());
        double max = 0;
        for (int i = 0; i < expected.size(); i++) {
            max = Math.max(max, Math.abs(expected.data()[i] - actual.data()[i]));
        }
        assertTrue(max < TOLERANCE, "max |onnx - reference| = " + max + " for " + Arrays.toString(actual.shape()));
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

    private long[] timesteps(int batch) {
        long[] t = new long[batch];
        for (int i = 0; i < batch; i++) {
            t[i] = random.nextInt(1000);
        }
        return t;
    }
}
