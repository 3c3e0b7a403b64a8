package io.campanile.engine.guided;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.campanile.contracts.jobs.Sampler;
import io.campanile.diffusion.ops.GaussianBlur;
import io.campanile.diffusion.tensor.Tensor;
import io.campanile.diffusion.views.Views;
import io.campanile.engine.loop.Prediction;
import io.campanile.testpacks.TestPacks;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guided estimate of one step on the stage-I-shaped test pack in ONNX Runtime, against the pack's known function
 * evaluated in Java: classifier-free guidance, anagram views with their inverses, the hybrid low/high split, and one
 * batched UNet call per step.
 */
class GuidedUnetTest {
    @TempDir
    static Path packs;

    static EngineFixture f;

    @BeforeAll
    static void load() {
        f = new EngineFixture(TestPacks.stage1(packs), false);
    }

    @AfterAll
    static void close() {
        f.close();
    }

    private static GuidedUnet unet(List<Branch> branches, double g, Mix mix) {
        return new GuidedUnet(
                f.pack, f.conditioning(), new GuidedUnet.Settings(branches, "", g, mix, Sampler.DIFFUSERS));
    }

    private static Branch branch(String view, String prompt) {
        return new Branch(Views.parse(view), prompt);
    }

    /** eps_u + g (eps_c - eps_u) on channels 0..2 of the reference output; the conditional variance on 3..5. */
    private static float[][] cfg(Tensor image, int t, String prompt, double g) {
        float[] c = f.reference(image, t, prompt).data();
        float[] u = f.reference(image, t, "").data();
        int plane = 3 * 64 * 64;
        float[] eps = new float[plane];
        float[] v = new float[plane];
        for (int k = 0; k < plane; k++) {
            eps[k] = (float) (u[k] + g * (c[k] - u[k]));
            v[k] = c[plane + k];
        }
        return new float[][] {eps, v};
    }

    /** Upside down, written out by hand: row y goes to row H - 1 - y in every channel. */
    private static Tensor flip(Tensor chw) {
        int c = chw.dim(0);
        int h = chw.dim(1);
        int w = chw.dim(2);
        float[] out = new float[chw.size()];
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
                System.arraycopy(chw.data(), (ch * h + y) * w, out, (ch * h + (h - 1 - y)) * w, w);
            }
        }
        return new Tensor(chw.shape(), out);
    }

    private static void assertClose(float[] expected, float[] actual, int offset, String what) {
        double max = 0;
        for (int k = 0; k < expected.length; k++) {
            max = Math.max(max, Math.abs(expected[k] - actual[offset + k]));
        }
        assertTrue(max < 1e-4, what + ": max abs difference " + max);
    }

    @Test
    void classifierFreeGuidanceMixesTheTwoBranchesOfEachImageInOneCall() {
        Tensor x = EngineFixture.random(1, 2, 3, 64, 64);
        int[] t = {500, 250};
        int callsBefore = f.pack.unet().runs();
        Prediction p = unet(List.of(branch("identity", "a")), 7.0, Mix.mean()).predict(x, t);
        assertEquals(callsBefore + 1, f.pack.unet().runs(), "both images and both branches in one UNet call");
        int plane = 3 * 64 * 64;
        for (int i = 0; i < 2; i++) {
            float[][] expected = cfg(x.item(i), t[i], "a", 7.0);
            assertClose(expected[0], p.eps().data(), i * plane, "eps of image " + i);
            assertClose(expected[1], p.v().data(), i * plane, "variance of image " + i);
        }
    }

    @Test
    void guidanceOfOneOrLessRunsOnlyTheConditionalBranch() {
        Tensor x = EngineFixture.random(2, 1, 3, 64, 64);
        GuidedUnet g = unet(List.of(branch("identity", "b")), 1.0, Mix.mean());
        assertEquals(1, g.rowsPerImage());
        Prediction p = g.predict(x, new int[] {690});
        float[] c = f.reference(x.item(0), 690, "b").data();
        assertClose(Arrays.copyOf(c, 3 * 64 * 64), p.eps().data(), 0, "conditional eps");
    }

    @Test
    void theCourseSamplerGuidesAtEveryScaleOtherThanOneByEquationA4() {
        Tensor x = EngineFixture.random(12, 1, 3, 64, 64);
        for (double g : new double[] {0.0, 0.5}) {
            GuidedUnet unet = new GuidedUnet(
                    f.pack,
                    f.conditioning(),
                    new GuidedUnet.Settings(List.of(branch("identity", "a")), "", g, Mix.mean(), Sampler.COURSE));
            assertEquals(2, unet.rowsPerImage(), "g = " + g + " needs the unconditional branch");
            Prediction p = unet.predict(x, new int[] {500});
            assertClose(cfg(x.item(0), 500, "a", g)[0], p.eps().data(), 0, "eps_u + g (eps_c - eps_u), g = " + g);
        }
        GuidedUnet one = new GuidedUnet(
                f.pack,
                f.conditioning(),
                new GuidedUnet.Settings(List.of(branch("identity", "a")), "", 1.0, Mix.mean(), Sampler.COURSE));
        assertEquals(1, one.rowsPerImage(), "g = 1 is eps_c: one branch");
    }

    @Test
    void anagramAveragesEachBranchSeenThroughItsViewAndMappedBack() {
        Tensor x = EngineFixture.random(3, 1, 3, 64, 64);
        Prediction p = unet(List.of(branch("identity", "a"), branch("flip", "b")), 7.0, Mix.mean())
                .predict(x, new int[] {400});
        Tensor image = x.item(0);
        float[][] upright = cfg(image, 400, "a", 7.0);
        float[][] flipped = cfg(flip(image), 400, "b", 7.0);
        float[] backEps = flip(new Tensor(new int[] {3, 64, 64}, flipped[0])).data();
        float[] backV = flip(new Tensor(new int[] {3, 64, 64}, flipped[1])).data();
        float[] eps = new float[backEps.length];
        float[] v = new float[backEps.length];
        for (int k = 0; k < eps.length; k++) {
            eps[k] = (upright[0][k] + backEps[k]) / 2;
            v[k] = (upright[1][k] + backV[k]) / 2;
        }
        assertClose(eps, p.eps().data(), 0, "anagram eps");
        assertClose(v, p.v().data(), 0, "anagram variance");
    }

    @Test
    void theNegateViewMapsTheNoiseBackNegatedAndTheVarianceUnchanged() {
        // visual_anagrams' NegateView inverts only the noise channels; a negated variance interpolation would pull
        // the branch average of v towards 0 (sigma off by up to 3x in the last steps).
        Tensor x = EngineFixture.random(5, 1, 3, 64, 64);
        Prediction p = unet(List.of(branch("identity", "a"), branch("negate", "b")), 7.0, Mix.mean())
                .predict(x, new int[] {400});
        Tensor image = x.item(0);
        float[][] upright = cfg(image, 400, "a", 7.0);
        Tensor negated = Views.parse("negate").apply(image);
        float[][] seen = cfg(negated, 400, "b", 7.0);
        float[] eps = new float[upright[0].length];
        float[] v = new float[upright[0].length];
        for (int k = 0; k < eps.length; k++) {
            eps[k] = (upright[0][k] - seen[0][k]) / 2;
            v[k] = (upright[1][k] + seen[1][k]) / 2;
        }
        assertClose(eps, p.eps().data(), 0, "anagram eps");
        assertClose(v, p.v().data(), 0, "anagram variance");
    }

    @Test
    void hybridTakesLowFrequenciesOfTheFirstPromptAndHighOfTheSecond() {
        Tensor x = EngineFixture.random(4, 1, 3, 64, 64);
        Prediction p = unet(List.of(branch("identity", "a"), branch("identity", "b")), 7.0, Mix.lowHigh(33, 2.0))
                .predict(x, new int[] {300});
        Tensor image = x.item(0);
        Tensor far = new Tensor(new int[] {3, 64, 64}, cfg(image, 300, "a", 7.0)[0]);
        Tensor near = new Tensor(new int[] {3, 64, 64}, cfg(image, 300, "b", 7.0)[0]);
        float[] low = GaussianBlur.blur(far, 33, 2.0).data();
        float[] nearLow = GaussianBlur.blur(near, 33, 2.0).data();
        float[] expected = new float[low.length];
        for (int k = 0; k < expected.length; k++) {
            expected[k] = low[k] + near.data()[k] - nearLow[k];
        }
        assertClose(expected, p.eps().data(), 0, "hybrid eps");
    }
}
