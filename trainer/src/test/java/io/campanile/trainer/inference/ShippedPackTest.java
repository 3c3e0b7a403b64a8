package io.campanile.trainer.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.campanile.diffusion.image.ValueRange;
import io.campanile.diffusion.schedule.BetaSchedule;
import io.campanile.diffusion.schedule.VarianceType;
import io.campanile.diffusion.tensor.Tensor;
import io.campanile.onnx.OnnxOptions;
import io.campanile.onnx.inference.UnetInput;
import io.campanile.onnx.inference.UnetModel;
import io.campanile.packs.Manifests;
import io.campanile.packs.ModelPack;
import io.campanile.packs.PackManifest;
import io.campanile.trainer.service.DdpmSampler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The shipped pack packs/mnist-class is a valid class-conditioned MNIST pack that the project's ONNX runtime layer
 * (libs/onnx, as the stage-1 worker uses it) loads, and its trained weights draw digit-like images: mostly dark
 * background with a minority of bright stroke pixels (random weights give noise).
 */
class ShippedPackTest {
    static final Path PACK = Path.of("..", "packs", "mnist-class");

    @Test
    void theShippedPackLoadsAndDrawsDigits() {
        assumeTrue(Files.exists(PACK.resolve(Manifests.FILE)), "no shipped pack in this checkout");
        PackManifest m = Manifests.read(PACK);
        assertEquals(PackManifest.Conditioning.CLASS, m.conditioning());
        assertEquals(28, m.imageSize());
        assertEquals(ValueRange.ZERO_ONE, m.valueRange());
        assertEquals(BetaSchedule.LINEAR, m.scheduler().betaSchedule());
        assertEquals(300, m.scheduler().numTrainTimesteps());
        assertEquals(VarianceType.FIXED_LARGE, m.scheduler().varianceType());
        assertEquals(10, m.embeddingWidth());
        try (UnetModel unet = UnetModel.load(new ModelPack(PACK, m), OnnxOptions.defaults())) {
            int n = 10;
            float[] classes = DdpmSampler.digitClasses(1);
            float[] samples = new DdpmSampler(
                            (x, t, c, b) -> {
                                long[] steps = new long[b];
                                for (int i = 0; i < b; i++) {
                                    steps[i] = Math.round(t[i] * 300);
                                }
                                return unet.run(UnetInput.classes(
                                                new Tensor(new int[] {b, 1, 28, 28}, x),
                                                steps,
                                                new Tensor(new int[] {b, 10}, c)))
                                        .data();
                            },
                            300)
                    .sample(n, classes, 5.0, 3, null);
            for (int i = 0; i < n; i++) {
                float[] img = Arrays.copyOfRange(samples, i * 784, (i + 1) * 784);
                long bright = 0;
                long dark = 0;
                for (float v : img) {
                    bright += v > 0.5f ? 1 : 0;
                    dark += v < 0.1f ? 1 : 0;
                }
                assertTrue(bright > 784 * 0.04 && bright < 784 * 0.45, "digit " + i + ": " + bright + " bright px");
                assertTrue(dark > 784 * 0.5, "digit " + i + ": " + dark + " dark px");
            }
        }
    }
}
