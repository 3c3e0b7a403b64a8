package io.campanile.engine.superres;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import io.campanile.diffusion.schedule.Timesteps;
import io.campanile.diffusion.tensor.Tensor;
import io.campanile.testpacks.TestPacks;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-step memory of a multi-image stage-II run stays flat: the step buffers (x, eps, v, step noise, the UNet's
 * 6-channel batch, the T5 rows) are allocated once per run. What a step still allocates is the UNet's result tensor
 * (libs/onnx {@code UnetModel.run} returns a new one) and the per-image seeded noise draws (libs/diffusion
 * {@code SeededNoise.gaussian} returns a new one), both short-lived; the test bounds a step's allocation by those two
 * plus a small slack, which a per-step copy of any [N, 3, 256, 256] buffer would exceed. Prints the step time and the
 * heap and peak RSS of the test JVM for the record (no timing is asserted).
 */
class StepMemoryTest {
    static final int IMAGES = 3;
    static final long SLACK = 512 * 1024;

    @TempDir
    static Path packs;

    @Test
    void aStepAllocatesNoBufferOfItsOwn() throws Exception {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (Stage2Fixture f = new Stage2Fixture(TestPacks.stage2(packs))) {
            int[] ts = Timesteps.named("smart27");
            Tensor x64 = Stage2Fixture.random(9, IMAGES, 3, 64, 64);
            List<Long> allocated = new ArrayList<>();
            List<Long> nanos = new ArrayList<>();
            f.pack.unet().resetCounters();
            long t0 = System.nanoTime();
            SuperResolution.run(
                    Stage2Fixture.loop(7),
                    f.pack,
                    f.conditioning(),
                    x64,
                    Stage2Fixture.settings(ts, 250, 4.0, "a", ""),
                    (i, prevT, x) -> {
                        allocated.add(threads.getCurrentThreadAllocatedBytes());
                        nanos.add(System.nanoTime());
                    });
            long wall = System.nanoTime() - t0;
            long plane = 256L * 256 * Float.BYTES;
            long unetResult = 2L * IMAGES * 6 * plane;
            long stepNoise = IMAGES * 3 * plane;
            long bound = unetResult + stepNoise + SLACK;
            long max = 0;
            // Steps 2 .. n-2: warm, and with step noise (the last step, t = 0, draws none).
            for (int i = 2; i < ts.length - 1; i++) {
                long step = allocated.get(i) - allocated.get(i - 1);
                max = Math.max(max, step);
                assertTrue(
                        step <= bound,
                        "step " + i + " allocated " + step + " bytes, more than the UNet result (" + unetResult
                                + ") plus the step noise (" + stepNoise + ") plus " + SLACK);
            }
            Runtime rt = Runtime.getRuntime();
            System.out.printf(
                    "stage II on the test pack, %d images (%d UNet rows) at 256 px, %d steps: %.1f ms per "
                            + "UNet call in ONNX Runtime, %.1f ms per whole step (wall %.1f s); largest step allocation %.2f "
                            + "MiB (bound %.2f MiB); heap used %d MiB; test JVM peak RSS %s%n",
                    IMAGES,
                    2 * IMAGES,
                    ts.length,
                    f.pack.unet().runNanos() / 1e6 / f.pack.unet().runs(),
                    (nanos.get(nanos.size() - 1) - nanos.get(0)) / 1e6 / (nanos.size() - 1),
                    wall / 1e9,
                    max / 1048576.0,
                    bound / 1048576.0,
                    (rt.totalMemory() - rt.freeMemory()) >> 20,
                    vmHwm());
        }
    }

    private static String vmHwm() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return "unknown";
        }
        return Files.readAllLines(status).stream()
                .filter(l -> l.startsWith("VmHWM:"))
                .map(l -> l.substring(6).trim())
                .findFirst()
                .orElse("unknown");
    }
}
