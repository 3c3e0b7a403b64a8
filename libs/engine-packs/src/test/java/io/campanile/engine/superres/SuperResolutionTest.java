package io.campanile.engine.superres;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.campanile.diffusion.noise.SeededNoise;
import io.campanile.diffusion.schedule.NoiseSchedule;
import io.campanile.diffusion.tensor.Tensor;
import io.campanile.platform.JobCancelledException;
import io.campanile.platform.JobFailedException;
import io.campanile.testpacks.TestPacks;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stage-II pipeline on the IF-stage-II-shaped test pack: the align-corners upscale, the noising to the noise
 * level, one full step against the learned-range step written out from IF-FACTS, batch independence, cancellation and
 * progress.
 */
class SuperResolutionTest {
    static final long SEED = 34224309L;
    static final int PLANE = 3 * 256 * 256;

    @TempDir
    static Path packs;

    static Stage2Fixture f;

    @BeforeAll
    static void load() {
        f = new Stage2Fixture(TestPacks.stage2(packs));
    }

    @AfterAll
    static void close() {
        f.close();
    }

    /** torch's bilinear align_corners=True for one output pixel, written out: source s = o (64 - 1) / (256 - 1). */
    private static double alignCorners(float[] img, int c, int oy, int ox) {
        double sy = oy * 63.0 / 255.0;
        double sx = ox * 63.0 / 255.0;
        int y0 = (int) Math.floor(sy);
        int x0 = (int) Math.floor(sx);
        int y1 = Math.min(y0 + 1, 63);
        int x1 = Math.min(x0 + 1, 63);
        double wy = sy - y0;
        double wx = sx - x0;
        int base = c * 64 * 64;
        double top = (1 - wx) * img[base + y0 * 64 + x0] + wx * img[base + y0 * 64 + x1];
        double bottom = (1 - wx) * img[base + y1 * 64 + x0] + wx * img[base + y1 * 64 + x1];
        return (1 - wy) * top + wy * bottom;
    }

    @Test
    void upscaleIsBilinearWithAlignedCorners() {
        Tensor x = Stage2Fixture.random(1, 1, 3, 64, 64);
        Tensor u = SuperResolution.upscale(x, 256);
        assertArrayEquals(new int[] {1, 3, 256, 256}, u.shape());
        float[] d = x.data();
        // The corners are kept exactly.
        assertEquals(d[0], u.data()[0]);
        assertEquals(d[63], u.data()[255]);
        assertEquals(d[2 * 4096 + 63 * 64 + 63], u.data()[2 * 65536 + 255 * 256 + 255]);
        // Output 85 samples source 21 exactly (85 * 63 / 255), and in between the four neighbours are weighted.
        assertEquals(d[4096 + 21 * 64 + 42], u.data()[65536 + 85 * 256 + 170], 1e-5);
        int[][] pixels = {{1, 2}, {200, 77}, {128, 128}, {254, 3}, {37, 219}};
        for (int c = 0; c < 3; c++) {
            for (int[] p : pixels) {
                assertEquals(
                        alignCorners(d, c, p[0], p[1]),
                        u.data()[c * 65536 + p[0] * 256 + p[1]],
                        1e-5,
                        "channel " + c + " pixel " + p[0] + "," + p[1]);
            }
        }
    }

    @Test
    void theUpscaledImageIsNoisedToTheNoiseLevelPerImage() {
        Tensor u = Stage2Fixture.random(2, 2, 3, 256, 256);
        Tensor noisy = SuperResolution.noiseToLevel(u, SEED, 250);
        double abar = NoiseSchedule.ifDefault().alphaCumprod(250);
        assertEquals(0.8459, abar, 1e-3, "IF-FACTS: abar_250 of squaredcos_cap_v2");
        for (int i = 0; i < 2; i++) {
            float[] eps = SeededNoise.gaussian(SEED, "stage2 noise_level", i, 3, 256, 256)
                    .data();
            for (int k = 0; k < PLANE; k += 101) {
                double expected = Math.sqrt(abar) * u.data()[i * PLANE + k] + Math.sqrt(1 - abar) * eps[k];
                assertEquals(expected, noisy.data()[i * PLANE + k], 1e-5, "image " + i + " element " + k);
            }
        }
        Tensor alone = SuperResolution.noiseToLevel(Stage2Fixture.image(u, 1).reshape(1, 3, 256, 256), SEED, 250);
        assertTrue(alone.data()[0] != noisy.data()[PLANE], "image 1 has its own stream index, not image 0's");
        assertThrows(JobFailedException.class, () -> SuperResolution.noiseToLevel(u, SEED, 1000));
    }

    @Test
    void oneStepIsTheThresholdedLearnedRangeStepOfIfFacts() {
        Tensor x64 = Stage2Fixture.random(3, 1, 3, 64, 64);
        NoiseSchedule s = NoiseSchedule.ifDefault();
        // Inputs of the first step, written out: x_T from "stage2 init", u_noisy at L = 250.
        float[] xT = SeededNoise.gaussian(SEED, "stage2 init", 0, 3, 256, 256).data();
        float[] epsU =
                SeededNoise.gaussian(SEED, "stage2 noise_level", 0, 3, 256, 256).data();
        float[] u = SuperResolution.upscale(x64, 256).data();
        double abarL = s.alphaCumprod(250);
        float[] uNoisy = new float[PLANE];
        for (int k = 0; k < PLANE; k++) {
            uNoisy[k] = (float) (Math.sqrt(abarL) * u[k] + Math.sqrt(1 - abarL) * epsU[k]);
        }
        Tensor xTensor = new Tensor(new int[] {3, 256, 256}, xT);
        Tensor uTensor = new Tensor(new int[] {3, 256, 256}, uNoisy);
        float[] c = f.reference(xTensor, uTensor, 600, "a", 250).data();
        float[] un = f.reference(xTensor, uTensor, 600, "", 250).data();
        // The step 600 -> 400: x0_hat clamped to [-1, 1] (sample_max_value 1.0 bounds the threshold), the posterior
        // mean, and the learned-range std times the step noise of "stage2 step t=600".
        double abarT = s.alphaCumprod(600);
        double abarPrev = s.alphaCumprod(400);
        double beta = 1 - abarT / abarPrev;
        double minLog = Math.log(Math.max((1 - abarPrev) / (1 - abarT) * beta, 1e-20));
        double maxLog = Math.log(beta);
        float[] z =
                SeededNoise.gaussian(SEED, "stage2 step t=600", 0, 3, 256, 256).data();
        float[] expected = new float[PLANE];
        int clamped = 0;
        for (int k = 0; k < PLANE; k++) {
            double eps = un[k] + 4.0 * (c[k] - un[k]);
            double x0 = (xT[k] - Math.sqrt(1 - abarT) * eps) / Math.sqrt(abarT);
            if (Math.abs(x0) > 1) {
                clamped++;
                x0 = Math.signum(x0);
            }
            double mean = Math.sqrt(abarPrev) * beta / (1 - abarT) * x0
                    + Math.sqrt(1 - beta) * (1 - abarPrev) / (1 - abarT) * xT[k];
            double frac = (c[PLANE + k] + 1) / 2;
            expected[k] = (float) (mean + Math.exp(0.5 * (frac * maxLog + (1 - frac) * minLog)) * z[k]);
        }
        assertTrue(clamped > 1000, "the thresholding matters in this step (" + clamped + " values clamped)");
        List<Float> maxDiff = new ArrayList<>();
        SuperResolution.run(
                Stage2Fixture.loop(SEED),
                f.pack,
                f.conditioning(),
                x64,
                Stage2Fixture.settings(new int[] {600, 400}, 250, 4.0, "a", ""),
                (i, prevT, x) -> {
                    if (i == 0) {
                        assertEquals(400, prevT);
                        float max = 0;
                        for (int k = 0; k < PLANE; k++) {
                            max = Math.max(max, Math.abs(expected[k] - x.data()[k]));
                        }
                        maxDiff.add(max);
                    }
                });
        assertTrue(maxDiff.get(0) < 1e-4, "the first step differs by " + maxDiff.get(0));
    }

    @Test
    void anImageDoesNotDependOnTheBatchItRunsIn() {
        Tensor two = Stage2Fixture.random(4, 2, 3, 64, 64);
        Tensor first = Stage2Fixture.image(two, 0).reshape(1, 3, 64, 64);
        UpscaleSettings s = Stage2Fixture.settings(new int[] {990, 500, 0}, 250, 4.0, "a", "");
        SuperResolution.Result both = SuperResolution.run(Stage2Fixture.loop(SEED), f.pack, f.conditioning(), two, s);
        SuperResolution.Result alone =
                SuperResolution.run(Stage2Fixture.loop(SEED), f.pack, f.conditioning(), first, s);
        assertArrayEquals(
                alone.upscaled().data(), Stage2Fixture.image(both.upscaled(), 0).data(), 1e-5f);
        assertArrayEquals(new int[] {2, 3, 256, 256}, both.upscaled().shape());
        float[] second = Stage2Fixture.image(both.upscaled(), 1).data();
        assertTrue(Math.abs(second[0] - alone.upscaled().data()[0]) > 1e-4, "the second image is another one");
    }

    @Test
    void progressIsReportedPerStepAndCancellationStopsBetweenSteps() {
        Tensor x = Stage2Fixture.random(5, 1, 3, 64, 64);
        Stage2Fixture.Loop whole = Stage2Fixture.loop(SEED);
        SuperResolution.run(
                whole,
                f.pack,
                f.conditioning(),
                x,
                Stage2Fixture.settings(new int[] {900, 600, 300}, 250, 4.0, "a", ""));
        assertEquals(
                List.of("1/3", "2/3", "3/3"),
                whole.progress.stream().map(p -> p[0] + "/" + p[1]).toList());
        Stage2Fixture.Loop cancelled = new Stage2Fixture.Loop(SEED, 2);
        int before = f.pack.unet().runs();
        assertThrows(
                JobCancelledException.class,
                () -> SuperResolution.run(
                        cancelled,
                        f.pack,
                        f.conditioning(),
                        x,
                        Stage2Fixture.settings(new int[] {900, 600, 300, 100}, 250, 4.0, "a", "")));
        assertEquals(2, f.pack.unet().runs() - before, "the steps before the cancellation ran, no more");
    }
}
