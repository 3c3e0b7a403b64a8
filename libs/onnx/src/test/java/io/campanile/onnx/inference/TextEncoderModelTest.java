package io.campanile.onnx.inference;

import static io.campanile.onnx.inference.TestPackDirs.replace;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.campanile.diffusion.tensor.Tensor;
import io.campanile.onnx.OnnxOptions;
import io.campanile.packs.ModelPack;
import io.campanile.packs.PackException;
import io.campanile.testpacks.TestFunctions;
import io.campanile.testpacks.TestPacks;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** TextEncoderModel on the test T5 pack, against its Java reference. */
class TextEncoderModelTest {
    private static final OnnxOptions CPU = OnnxOptions.defaults();

    @TempDir
    static Path root;

    private final Random random = new Random(11);

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void encodesLikeTheReference(int batch) {
        try (TextEncoderModel t5 = TextEncoderModel.load(TestPacks.t5Encoder(root), CPU)) {
            assertEquals("test-t5-encoder", t5.pack().id());
            for (int round = 0; round < 2; round++) { // the second round reuses the buffers
                long[][] ids = new long[batch][77];
                long[][] mask = new long[batch][77];
                for (int b = 0; b < batch; b++) {
                    int length = 1 + random.nextInt(77);
                    for (int i = 0; i < length; i++) {
                        ids[b][i] = i == length - 1 ? 1 : random.nextInt(TestFunctions.T5_VOCAB);
                        mask[b][i] = 1;
                    }
                }
                Tensor expected = TestFunctions.t5(ids, mask);
                Tensor actual = t5.encode(ids, mask);
                assertArrayEquals(new int[] {batch, 77, 4096}, actual.shape());
                double max = 0;
                for (int i = 0; i < expected.size(); i++) {
                    max = Math.max(max, Math.abs(expected.data()[i] - actual.data()[i]));
                }
                assertTrue(max < 1e-4, "max |onnx - reference| = " + max);
            }
        }
    }

    @Test
    void rowsMustHaveTheManifestsTokenCount() {
        try (TextEncoderModel t5 = TextEncoderModel.load(TestPacks.t5Encoder(root), CPU)) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> t5.encode(new long[][] {new long[76]}, new long[][] {new long[76]}));
            assertEquals(
                    "input_ids/attention_mask row 0: pack test-t5-encoder takes 77 tokens, got 76/76", e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> t5.encode(new long[2][77], new long[1][77]));
        }
    }

    @Test
    void widthMismatchIsExplained(@TempDir Path other) throws Exception {
        ModelPack wrong = TestPackDirs.variant(
                TestPacks.t5Encoder(root),
                other,
                "t5-base-width",
                true,
                json -> replace(json, "[ 77, 4096 ]", "[ 77, 768 ]"));
        PackException e = assertThrows(PackException.class, () -> TextEncoderModel.load(wrong, CPU));
        assertEquals(
                "pack t5-base-width: output last_hidden_state is float[batch,77,4096], the manifest says "
                        + "[batch,77,768]",
                e.getMessage());
    }

    @Test
    void aUnetIsNotATextEncoder() {
        PackException e = assertThrows(PackException.class, () -> TextEncoderModel.load(TestPacks.stage1(root), CPU));
        assertEquals("pack test-if-stage1 is a unet, not a text-encoder", e.getMessage());
    }

    @Test
    void missingGraphIsExplained(@TempDir Path other) throws Exception {
        ModelPack bare = TestPackDirs.variant(TestPacks.t5Encoder(root), other, "t5-absent", false, json -> json);
        PackException e = assertThrows(PackException.class, () -> TextEncoderModel.load(bare, CPU));
        assertEquals("pack t5-absent is not installed: " + bare.onnxFile() + " is missing", e.getMessage());
    }
}
