package io.campanile.engine.guided;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.campanile.contracts.jobs.Sampler;
import io.campanile.diffusion.tensor.Tensor;
import io.campanile.diffusion.views.Views;
import io.campanile.engine.loop.DenoiseLoop;
import io.campanile.onnx.StepBatching;
import io.campanile.testpacks.TestPacks;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole denoising loops of concurrent jobs whose steps are merged into one UNet call (continuous batching, ADR 0022)
 * give each job the images it gets when it runs alone: every job draws its own per-image noise streams from its own
 * seed, and its rows of a merged call are its own. Four jobs of one and two images, different prompts, seeds and
 * guidance, ten CFG steps each.
 */
class BatchedLoopsTest {
    private static final int JOBS = 4;
    private static final int[] TIMESTEPS = {990, 890, 790, 690, 590, 490, 390, 290, 190, 90, 0};

    @TempDir
    static Path packs;

    @Test
    void imagesAreTheSameWithAndWithoutBatching() throws Exception {
        List<Tensor> alone = new ArrayList<>();
        try (EngineFixture f = new EngineFixture(TestPacks.stage1(packs), false)) {
            for (int job = 0; job < JOBS; job++) {
                alone.add(run(f, job));
            }
        }
        List<Tensor> batched = new ArrayList<>();
        long[] merged;
        ExecutorService threads = Executors.newFixedThreadPool(JOBS, r -> new Thread(null, r, "job", 16L << 20));
        try (EngineFixture f =
                new EngineFixture(TestPacks.stage1(packs), false, new StepBatching(32, 1024, Duration.ofMillis(200)))) {
            List<Future<Tensor>> running = new ArrayList<>();
            for (int job = 0; job < JOBS; job++) {
                int j = job;
                running.add(threads.submit(() -> run(f, j)));
            }
            for (Future<Tensor> r : running) {
                batched.add(r.get(120, TimeUnit.SECONDS));
            }
            merged = f.pack.unet().mergedCounts();
        } finally {
            threads.shutdownNow();
        }
        assertTrue(merged[0] >= TIMESTEPS.length / 2, "the jobs' steps were merged: " + merged[0] + " merged calls");
        for (int job = 0; job < JOBS; job++) {
            // T5-conditioned graphs sum their matrix products in blocks that depend on the row count, so the last bit
            // may differ from step to step (StepBatchingTest); ten steps keep that far below one 8-bit pixel level.
            assertArrayEquals(alone.get(job).data(), batched.get(job).data(), 1e-4f, "job " + job);
        }
    }

    /** Job j: 1 or 2 images, prompt a or b, guidance 7 or 4, its own seed. */
    private static Tensor run(EngineFixture f, int job) {
        int images = 1 + job % 2;
        GuidedUnet model = new GuidedUnet(
                f.pack,
                f.conditioning(),
                new GuidedUnet.Settings(
                        List.of(new Branch(Views.parse("identity"), job < 2 ? "a" : "b")),
                        "",
                        job % 2 == 0 ? 7.0 : 4.0,
                        Mix.mean(),
                        Sampler.DIFFUSERS));
        Tensor x = EngineFixture.random(100 + job, images, 3, 64, 64);
        return DenoiseLoop.run(
                EngineFixture.loop(34224309L + job),
                f.pack.scheduler(),
                model,
                x,
                new DenoiseLoop.Run(TIMESTEPS, 0, "sample", 0, "sample", true),
                (i, prevT, xi) -> {});
    }
}
