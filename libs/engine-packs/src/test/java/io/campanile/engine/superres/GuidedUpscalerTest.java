package io.campanile.engine.superres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.campanile.contracts.jobs.Sampler;
import io.campanile.diffusion.tensor.Tensor;
import io.campanile.diffusion.views.View;
import io.campanile.diffusion.views.Views;
import io.campanile.engine.guided.Branch;
import io.campanile.engine.guided.Mix;
import io.campanile.testpacks.TestPacks;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guided stage-II estimate on the IF-stage-II-shaped test pack in ONNX Runtime, against the pack's known function
 * evaluated in Java (eps = 0.5 x_t + 0.25 u + e + 0.001 t + 0.0001 class_label, v = 0.5 tanh(x_t)): the concat order
 * [x_t | u_noisy], class_labels = noise level, and classifier-free guidance of each image's two rows in one call.
 */
class GuidedUpscalerTest {
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

    private static float maxDiff(float[] expected, float[] actual, int offset) {
        float max = 0;
        for (int k = 0; k < expected.length; k++) {
            max = Math.max(max, Math.abs(expected[k] - actual[offset + k]));
        }
        return max;
    }

    private static void assertClose(float[] expected, float[] actual, int offset, String what) {
        float max = maxDiff(expected, actual, offset);
        assertTrue(max < 1e-4, what + ": max abs difference " + max);
    }

    private static float[] channels(Tensor t, int from, int count) {
        return Arrays.copyOfRange(t.data(), from * 256 * 256, (from + count) * 256 * 256);
    }

    @Test
    void theUnetSeesXtThenTheNoisedUpscaleWithTheNoiseLevelAsClassLabel() {
        Tensor x = Stage2Fixture.random(1, 1, 3, 256, 256);
        Tensor uNoisy = Stage2Fixture.random(2, 1, 3, 256, 256);
        GuidedUpscaler g = new GuidedUpscaler(
                f.pack, f.conditioning(), Stage2Fixture.settings(new int[] {500}, 250, 1.0, "a", ""), uNoisy);
        assertEquals(1, g.rowsPerImage(), "guidance 1 runs the conditional row only");
        Tensor eps = Tensor.zeros(1, 3, 256, 256);
        Tensor v = Tensor.zeros(1, 3, 256, 256);
        g.predictInto(x, 500, eps, v);
        // The batch itself: x_t in channels 0..2, u_noisy in 3..5.
        assertClose(x.data(), channels(g.sample(), 0, 3), 0, "sample channels 0..2");
        assertClose(uNoisy.data(), channels(g.sample(), 3, 3), 0, "sample channels 3..5");
        Tensor expected = f.reference(Stage2Fixture.image(x, 0), Stage2Fixture.image(uNoisy, 0), 500, "a", 250);
        assertClose(channels(expected, 0, 3), eps.data(), 0, "eps of [x_t | u_noisy]");
        assertClose(channels(expected, 3, 3), v.data(), 0, "v = 0.5 tanh(x_t)");
        // The pack weighs the halves 0.5 and 0.25, so the swapped order would be far off.
        Tensor swapped = f.reference(Stage2Fixture.image(uNoisy, 0), Stage2Fixture.image(x, 0), 500, "a", 250);
        assertTrue(maxDiff(channels(swapped, 0, 3), eps.data(), 0) > 0.1, "the swapped order is distinguishable");
    }

    @Test
    void classLabelsAreTheNoiseLevel() {
        Tensor x = Stage2Fixture.random(3, 1, 3, 256, 256);
        Tensor uNoisy = Stage2Fixture.random(4, 1, 3, 256, 256);
        Tensor low = Tensor.zeros(1, 3, 256, 256);
        Tensor high = Tensor.zeros(1, 3, 256, 256);
        new GuidedUpscaler(f.pack, f.conditioning(), Stage2Fixture.settings(new int[] {300}, 100, 1.0, "a", ""), uNoisy)
                .predictInto(x, 300, low, null);
        new GuidedUpscaler(f.pack, f.conditioning(), Stage2Fixture.settings(new int[] {300}, 900, 1.0, "a", ""), uNoisy)
                .predictInto(x, 300, high, null);
        for (int k = 0; k < PLANE; k += 997) {
            assertEquals(0.0001 * (900 - 100), high.data()[k] - low.data()[k], 1e-4, "element " + k);
        }
    }

    @Test
    void guidanceMixesTheConditionalAndUnconditionalRowsOfEachImageInOneCall() {
        Tensor x = Stage2Fixture.random(5, 2, 3, 256, 256);
        Tensor uNoisy = Stage2Fixture.random(6, 2, 3, 256, 256);
        f.asked.clear();
        GuidedUpscaler g = new GuidedUpscaler(
                f.pack, f.conditioning(), Stage2Fixture.settings(new int[] {700}, 250, 4.0, "a", "b"), uNoisy);
        assertEquals(List.of("a", "b", "a", "b"), f.asked, "rows: image-major, conditional then unconditional");
        Tensor eps = Tensor.zeros(2, 3, 256, 256);
        Tensor v = Tensor.zeros(2, 3, 256, 256);
        int before = f.pack.unet().runs();
        g.predictInto(x, 700, eps, v);
        assertEquals(before + 1, f.pack.unet().runs(), "both images and both rows in one UNet call");
        for (int i = 0; i < 2; i++) {
            Tensor xi = Stage2Fixture.image(x, i);
            Tensor ui = Stage2Fixture.image(uNoisy, i);
            float[] c = f.reference(xi, ui, 700, "a", 250).data();
            float[] u = f.reference(xi, ui, 700, "b", 250).data();
            float[] expectedEps = new float[PLANE];
            float[] expectedV = new float[PLANE];
            for (int k = 0; k < PLANE; k++) {
                expectedEps[k] = (float) (u[k] + 4.0 * (c[k] - u[k]));
                expectedV[k] = c[PLANE + k];
            }
            assertClose(expectedEps, eps.data(), i * PLANE, "guided eps of image " + i);
            assertClose(expectedV, v.data(), i * PLANE, "conditional v of image " + i);
        }
    }

    @Test
    void anAnagramBranchSeesItsViewOfXtAndOfTheUpscaledImageAndIsMappedBack() {
        Tensor x = Stage2Fixture.random(7, 1, 3, 256, 256);
        Tensor uNoisy = Stage2Fixture.random(8, 1, 3, 256, 256);
        View flip = Views.parse("flip");
        View negate = Views.parse("negate");
        UpscaleSettings s = new UpscaleSettings(
                new int[] {400},
                50,
                4.0,
                List.of(new Branch(flip, "a"), new Branch(negate, "b")),
                "",
                Mix.mean(),
                Sampler.COURSE);
        GuidedUpscaler g = new GuidedUpscaler(f.pack, f.conditioning(), s, uNoisy);
        assertEquals(4, g.rowsPerImage(), "two branches, each conditional and unconditional");
        Tensor eps = Tensor.zeros(1, 3, 256, 256);
        Tensor v = Tensor.zeros(1, 3, 256, 256);
        g.predictInto(x, 400, eps, v);
        Tensor xi = Stage2Fixture.image(x, 0);
        Tensor ui = Stage2Fixture.image(uNoisy, 0);
        float[] expectedEps = new float[PLANE];
        float[] expectedV = new float[PLANE];
        for (View view : List.of(flip, negate)) {
            String prompt = view == flip ? "a" : "b";
            float[] c =
                    f.reference(view.apply(xi), view.apply(ui), 400, prompt, 50).data();
            float[] u = f.reference(view.apply(xi), view.apply(ui), 400, "", 50).data();
            float[] e = new float[PLANE];
            float[] vb = new float[PLANE];
            for (int k = 0; k < PLANE; k++) {
                e[k] = (float) (u[k] + 4.0 * (c[k] - u[k]));
                vb[k] = c[PLANE + k];
            }
            // Written out by hand: flip maps both back upside down; negate negates eps and leaves v alone.
            float[] eBack = view == flip ? flipped(e) : negated(e);
            float[] vBack = view == flip ? flipped(vb) : vb;
            for (int k = 0; k < PLANE; k++) {
                expectedEps[k] += eBack[k] / 2;
                expectedV[k] += vBack[k] / 2;
            }
        }
        assertClose(expectedEps, eps.data(), 0, "mean of the branches' guided eps, mapped back");
        assertClose(expectedV, v.data(), 0, "mean of the branches' conditional v, mapped back");
    }

    @Test
    void theCourseSamplerGuidesBelowOneByEquationA4() {
        Tensor x = Stage2Fixture.random(9, 1, 3, 256, 256);
        Tensor uNoisy = Stage2Fixture.random(10, 1, 3, 256, 256);
        GuidedUpscaler g = new GuidedUpscaler(
                f.pack,
                f.conditioning(),
                UpscaleSettings.plain(new int[] {300}, 250, 0.0, "a", "b", Sampler.COURSE),
                uNoisy);
        assertEquals(2, g.rowsPerImage());
        Tensor eps = Tensor.zeros(1, 3, 256, 256);
        g.predictInto(x, 300, eps, null);
        float[] u = f.reference(Stage2Fixture.image(x, 0), Stage2Fixture.image(uNoisy, 0), 300, "b", 250)
                .data();
        assertClose(Arrays.copyOf(u, PLANE), eps.data(), 0, "g = 0 is the unconditional estimate");
    }

    /** Upside down by hand, per 256 x 256 channel. */
    private static float[] flipped(float[] chw) {
        float[] out = new float[chw.length];
        for (int ch = 0; ch < 3; ch++) {
            for (int y = 0; y < 256; y++) {
                System.arraycopy(chw, (ch * 256 + y) * 256, out, (ch * 256 + 255 - y) * 256, 256);
            }
        }
        return out;
    }

    private static float[] negated(float[] a) {
        float[] out = new float[a.length];
        for (int k = 0; k < a.length; k++) {
            out[k] = -a[k];
        }
        return out;
    }
}
