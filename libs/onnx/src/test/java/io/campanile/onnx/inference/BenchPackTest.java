package io.campanile.onnx.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.campanile.diffusion.tensor.Tensor;
import io.campanile.onnx.OnnxOptions;
import io.campanile.testpacks.TestPacks;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bench-if-stage1 through UnetModel: it runs, stays finite and counts its time (printed, not asserted). */
class BenchPackTest {
    @TempDir
    static Path root;

    @Test
    void benchPackRunsAtBatchTwo() {
        Random random = new Random(3);
        Tensor x = Tensor.zeros(2, 3, 64, 64);
        for (int i = 0; i < x.size(); i++) {
            x.data()[i] = (float) random.nextGaussian();
        }
        Tensor ehs = Tensor.zeros(2, 77, 4096);
        for (int i = 0; i < ehs.size(); i++) {
            ehs.data()[i] = (float) random.nextGaussian();
        }
        try (UnetModel unet = UnetModel.load(TestPacks.bench(root), OnnxOptions.defaults())) {
            unet.run(UnetInput.text(x, new long[] {990, 990}, ehs)); // warm-up
            unet.resetCounters();
            Tensor out = null;
            for (int step = 0; step < 10; step++) {
                out = unet.run(UnetInput.text(x, new long[] {990 - 30L * step, 990 - 30L * step}, ehs));
            }
            assertEquals(10, unet.runs());
            assertArrayEquals(new int[] {2, 6, 64, 64}, out.shape());
            double meanAbs = 0;
            for (float v : out.data()) {
                meanAbs += Math.abs(v) / out.size();
            }
            assertTrue(meanAbs > 0.05 && meanAbs < 3, "mean |out| = " + meanAbs);
            System.out.printf(
                    "bench-if-stage1 via UnetModel, batch 2: %.2f ms per run inside ONNX Runtime%n",
                    unet.runNanos() / 1e6 / unet.runs());
        }
    }
}
