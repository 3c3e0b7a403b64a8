package io.campanile.engine.guided;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.campanile.contracts.jobs.Sampler;
import io.campanile.diffusion.noise.SeededNoise;
import io.campanile.diffusion.schedule.NoiseSchedule;
import io.campanile.diffusion.schedule.Timesteps;
import io.campanile.diffusion.tensor.Tensor;
import io.campanile.diffusion.views.Views;
import io.campanile.engine.LoopContext;
import io.campanile.engine.loop.DenoiseLoop;
import io.campanile.engine.loop.LivePreview;
import io.campanile.engine.loop.Noise;
import io.campanile.testpacks.TestPacks;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DDPM loop on the stage-I-shaped test pack: one step with the learned-range variance written out from IF-FACTS,
 * the SDEdit start index, and the inpainting constraint after every step.
 */
class DenoiseLoopTest {
    @TempDir
    static Path packs;

    static EngineFixture f;
    static final long SEED = 34224309L;

    @BeforeAll
    static void load() {
        f = new EngineFixture(TestPacks.stage1(packs), false);
    }

    @AfterAll
    static void close() {
        f.close();
    }

    private static GuidedUnet plain(double g) {
        return new GuidedUnet(
                f.pack,
                f.conditioning(),
                new GuidedUnet.Settings(
                        List.of(new Branch(Views.parse("identity"), "a")), "", g, Mix.mean(), Sampler.DIFFUSERS));
    }

    @Test
    void oneStepFollowsTheLearnedRangeVarianceOfIfFacts() {
        Tensor x = EngineFixture.random(5, 1, 3, 64, 64);
        Tensor start = x.copy();
        // The first step written out from IF-FACTS (no thresholding), checked right after the loop makes it.
        NoiseSchedule s = NoiseSchedule.ifDefault();
        double abarT = s.alphaCumprod(690);
        double abarPrev = s.alphaCumprod(660);
        double beta = 1 - abarT / abarPrev;
        double alpha = abarT / abarPrev;
        double minLog = Math.log(Math.max((1 - abarPrev) / (1 - abarT) * beta, 1e-20));
        double maxLog = Math.log(beta);
        float[] out = f.reference(start.item(0), 690, "a").data();
        float[] z = SeededNoise.gaussian(SEED, Noise.stepStream("test", 690), 0, 3, 64, 64)
                .data();
        int plane = 3 * 64 * 64;
        float[] expected = new float[plane];
        for (int k = 0; k < plane; k++) {
            double xt = start.data()[k];
            double x0 = (xt - Math.sqrt(1 - abarT) * out[k]) / Math.sqrt(abarT);
            double mean = Math.sqrt(abarPrev) * beta / (1 - abarT) * x0
                    + Math.sqrt(alpha) * (1 - abarPrev) / (1 - abarT) * xt;
            double frac = (out[plane + k] + 1) / 2;
            expected[k] = (float) (mean + Math.exp(0.5 * (frac * maxLog + (1 - frac) * minLog)) * z[k]);
        }
        Tensor afterOne = start.copy();
        DenoiseLoop.run(
                EngineFixture.loop(SEED),
                f.pack.scheduler(),
                plain(1.0),
                afterOne,
                new DenoiseLoop.Run(new int[] {690, 660}, 0, "test", 0, "test", true),
                (i, prevT, xi) -> {
                    if (i == 0) {
                        assertEquals(660, prevT);
                        double max = 0;
                        for (int k = 0; k < plane; k++) {
                            max = Math.max(max, Math.abs(expected[k] - xi.data()[k]));
                        }
                        assertTrue(max < 1e-4, "learned-range step differs by " + max);
                    }
                });
    }

    @Test
    void sdeditStartsAtTheIStartEntryAndRunsTheRestOfTheList() {
        int[] ts = Timesteps.courseDefault(1000);
        Tensor x = EngineFixture.random(6, 1, 3, 64, 64);
        List<int[]> seen = new ArrayList<>();
        int before = f.pack.unet().runs();
        DenoiseLoop.run(
                EngineFixture.loop(SEED),
                f.pack.scheduler(),
                plain(7.0),
                x,
                new DenoiseLoop.Run(ts, 10, "sdedit", 0, "sdedit", true),
                (i, prevT, xi) -> seen.add(new int[] {i, prevT}));
        assertEquals(690, ts[10]);
        assertEquals(ts.length - 10, f.pack.unet().runs() - before, "one UNet call per remaining step");
        assertEquals(10, seen.get(0)[0]);
        assertEquals(ts[11], seen.get(0)[1]);
        assertEquals(-1, seen.get(seen.size() - 1)[1], "the last step reaches the clean image");
    }

    @Test
    void theCourseLoopStopsAtTheLastEntryWithoutThresholding() {
        int[] ts = {990, 690, 390, 90, 0};
        Tensor x = EngineFixture.random(9, 1, 3, 64, 64);
        List<int[]> seen = new ArrayList<>();
        int before = f.pack.unet().runs();
        DenoiseLoop.Run run = new DenoiseLoop.Run(ts, 1, "course", 0, "course", false);
        assertEquals(3, run.steps(), "for i in range(i_start, len(timesteps) - 1)");
        DenoiseLoop.run(
                EngineFixture.loop(SEED),
                f.pack.scheduler(),
                plain(1.0),
                x,
                run,
                (i, prevT, xi) -> seen.add(new int[] {i, prevT}));
        assertEquals(3, f.pack.unet().runs() - before, "len(timesteps) - 1 - i_start UNet calls");
        assertEquals(0, seen.get(seen.size() - 1)[1], "the result is the image at t = 0, not a clean step");
        assertEquals(4, new DenoiseLoop.Run(ts, 1, "d", 0, "d", true).steps(), "diffusers: one call per entry");
    }

    @Test
    void theCoursesSchedulerIsThePacksWithoutThresholding() {
        try (EngineFixture thresholded = new EngineFixture(TestPacks.stage1(packs), true)) {
            assertTrue(thresholded.pack.scheduler(Sampler.DIFFUSERS).spec().thresholding());
            assertFalse(thresholded.pack.scheduler(Sampler.COURSE).spec().thresholding());
            assertEquals(
                    thresholded.pack.scheduler().spec().sampleMaxValue(),
                    thresholded.pack.scheduler(Sampler.COURSE).spec().sampleMaxValue());
        }
    }

    @Test
    void inpaintingKeepsTheKnownRegionOnTheForwardProcessAfterEveryStep() {
        int[] ts = {990, 960, 930};
        Tensor x0 = EngineFixture.random(7, 3, 64, 64);
        Tensor mask = Tensor.zeros(1, 64, 64);
        for (int k = 0; k < 64 * 32; k++) {
            mask.data()[k] = 1f; // the top half is new content
        }
        Tensor free = EngineFixture.random(8, 1, 3, 64, 64);
        Tensor painted = free.copy();
        List<Tensor> freeSteps = new ArrayList<>();
        DenoiseLoop.run(
                EngineFixture.loop(SEED),
                f.pack.scheduler(),
                plain(7.0),
                free,
                new DenoiseLoop.Run(ts, 0, "p", 0, "p", true),
                (i, prevT, xi) -> freeSteps.add(xi.copy()));
        Inpainting inpainting = new Inpainting(f.pack, SEED, x0, mask, true);
        NoiseSchedule s = NoiseSchedule.ifDefault();
        DenoiseLoop.run(
                EngineFixture.loop(SEED),
                f.pack.scheduler(),
                plain(7.0),
                painted,
                new DenoiseLoop.Run(ts, 0, "p", 0, "p", true),
                (i, prevT, xi) -> {
                    inpainting.impose(xi, prevT);
                    float[] eps = SeededNoise.gaussian(SEED, "inpaint known t=" + prevT, 0, 3, 64, 64)
                            .data();
                    for (int k = 0; k < 3 * 64 * 64; k++) {
                        boolean newContent = (k % (64 * 64)) < 64 * 32;
                        double expected = newContent
                                ? freeSteps.get(i).data()[k]
                                : prevT < 0
                                        ? x0.data()[k]
                                        : Math.sqrt(s.alphaCumprod(prevT)) * x0.data()[k]
                                                + Math.sqrt(1 - s.alphaCumprod(prevT)) * eps[k];
                        assertEquals(expected, xi.data()[k], 1e-4, "step " + i + " element " + k);
                    }
                });
    }

    @Test
    void previewsAreMadeOnlyWhenDueAndLeaveTheLoopUnchanged() throws Exception {
        int[] ts = {990, 960, 930, 900, 870};
        Tensor plainRun = EngineFixture.random(10, 2, 3, 64, 64);
        Tensor previewed = plainRun.copy();
        DenoiseLoop.Run run = new DenoiseLoop.Run(ts, 0, "p", 0, "sample", true);
        DenoiseLoop.run(EngineFixture.loop(SEED), f.pack.scheduler(), plain(7.0), plainRun, run, null);
        List<Integer> asked = new ArrayList<>();
        List<byte[]> previews = new ArrayList<>();
        Map<String, Long> timings = new HashMap<>();
        LoopContext job = new LoopContext() {
            @Override
            public long seed() {
                return SEED;
            }

            @Override
            public void checkCancelled() {}

            @Override
            public void progress(String stage, int step, int total) {}

            @Override
            public void addTiming(String what, long nanos) {
                timings.merge(what, 1L, Long::sum);
            }

            @Override
            public boolean previewDue(int step, int total) {
                asked.add(step);
                return step == 2;
            }

            @Override
            public void preview(String stage, int step, int total, byte[] png) {
                assertEquals("sample", stage);
                assertEquals(2, step);
                assertEquals(5, total);
                previews.add(png);
            }
        };
        DenoiseLoop.run(
                job,
                f.pack.scheduler(),
                plain(7.0),
                previewed,
                run.withPreview(new LivePreview(f.pack.range(), 64)),
                null);
        assertEquals(List.of(1, 2, 3, 4, 5), asked);
        assertEquals(1, previews.size());
        assertEquals(1L, timings.get("preview"), "one preview timed");
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(previews.get(0)));
        assertEquals(64, img.getWidth());
        assertArrayEquals(plainRun.data(), previewed.data(), "a preview does not change the images");
    }
}
