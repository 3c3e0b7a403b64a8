package io.campanile.diffusion.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.campanile.diffusion.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Compares {@link DdpmScheduler} with numbers printed by {@code src/test/python/golden_scheduler.py}, an independent
 * numpy re-implementation of diffusers' DDPMScheduler (float64 maths on float32 inputs; quantiles by
 * {@code numpy.quantile(method="linear")}). Inputs are built from the same formulas on shape [2, 3, 4, 4]:
 * {@code xt[i] = sin(0.37 i)}, {@code eps[i] = cos(0.11 i)}, {@code v[i] = sin(0.05 i)}, {@code noise[i] = cos(0.7
 * i)}, each rounded to float32. Tolerance: 1e-5 relative.
 */
class DdpmSchedulerGoldenTest {

    private static final int[] SHAPE = {2, 3, 4, 4};
    private static final int[] ELEMENTS = {0, 17, 50, 95};
    private static final double REL = 1e-5;

    private static Tensor formula(double scale, double freq, boolean cosine) {
        Tensor t = Tensor.zeros(SHAPE);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (scale * (cosine ? Math.cos(freq * i) : Math.sin(freq * i)));
        }
        return t;
    }

    private static final Tensor XT = formula(1.0, 0.37, false);
    private static final Tensor EPS = formula(1.0, 0.11, true);
    private static final Tensor V = formula(1.0, 0.05, false);
    private static final Tensor NOISE = formula(1.0, 0.7, true);

    private static DdpmScheduler scheduler(VarianceType type, boolean thresholding, double sampleMaxValue) {
        return new DdpmScheduler(new SchedulerSpec(
                BetaSchedule.SQUAREDCOS_CAP_V2, 1000, 1e-4, 0.02, type, thresholding, 0.95, sampleMaxValue));
    }

    /** Sums in double: sum, sum of |x|, sum of squares; then the elements at {@link #ELEMENTS}. */
    private static void assertGolden(Tensor actual, double sum, double abs, double sq, double... elems) {
        double s = 0;
        double a = 0;
        double q = 0;
        for (float x : actual.data()) {
            s += x;
            a += Math.abs(x);
            q += (double) x * x;
        }
        assertEquals(sum, s, REL * abs, "sum");
        assertEquals(abs, a, REL * abs, "sum of |x|");
        assertEquals(sq, q, REL * sq, "sum of squares");
        for (int k = 0; k < ELEMENTS.length; k++) {
            double e = elems[k];
            assertEquals(e, actual.data()[ELEMENTS[k]], REL * Math.max(Math.abs(e), 1.0), "element " + ELEMENTS[k]);
        }
    }

    @ParameterizedTest
    @CsvSource({
        "0, 0.9999586939811707",
        "30, 0.9964657425880432",
        "250, 0.8458880186080933",
        "390, 0.6608222723007202",
        "500, 0.4922850430011749",
        "660, 0.2540990114212036",
        "690, 0.21452300250530243",
        "750, 0.14317865669727325",
        "990, 0.00019671733025461435",
        "999, 2.4287349909002387e-09"
    })
    void alphasCumprodMatchNumpyFloat32(int t, double expected) {
        DdpmScheduler s = new DdpmScheduler(SchedulerSpec.ifStageI());
        assertEquals(expected, s.schedule().alphaCumprod(t), expected * REL);
        assertEquals(expected, s.alphaCumprodPrev(t), expected * REL);
    }

    @Test
    void predictOriginalThresholdsAtSampleMaxValue() {
        Tensor x0 = scheduler(VarianceType.LEARNED_RANGE, true, 1.5).predictOriginal(XT, EPS, 690);
        assertGolden(
                x0,
                7.872355631534555,
                68.55590468904418,
                61.39661372837645,
                -1.0,
                0.3858246244199767,
                -1.0,
                -0.1418157719421678);
    }

    /** Here s = 1.0163 and 1.0136 (per sample): the interpolated quantile itself matters. */
    @Test
    void predictOriginalThresholdsAtTheInterpolatedQuantile() {
        Tensor x0 = scheduler(VarianceType.LEARNED_RANGE, true, 1.5).predictOriginal(XT, EPS, 30);
        assertGolden(
                x0,
                4.949117561853661,
                59.30277644703355,
                45.63471721878145,
                -0.05860238994705401,
                0.023991126069082724,
                -0.3801318005529941,
                -0.5214279397763765);
    }

    /** xt scaled by 1.3: s = 1.3149 and 1.3069, between 1 and sample_max_value. */
    @Test
    void predictOriginalThresholdsScaledInput() {
        Tensor x0 =
                scheduler(VarianceType.LEARNED_RANGE, true, 1.5).predictOriginal(formula(1.3, 0.37, false), EPS, 30);
        assertGolden(
                x0,
                4.885078627974568,
                59.68403003987564,
                46.22528567869482,
                -0.045291373298688806,
                0.020099262012322282,
                -0.3735624919597635,
                -0.5327996123370505);
    }

    @ParameterizedTest(name = "{0} t={1} prev={2}")
    @CsvSource({
        "LEARNED_RANGE, 690, 660, 4.571653319808809, 60.80410476577227, 50.40749850785502, "
                + "0.2896310151371656, 0.35373916214309153, -0.7535778758416762, -0.8339075026792209",
        "FIXED_SMALL, 690, 660, 4.569692785418886, 60.746426100012755, 50.1909408344681, "
                + "0.28462820250307763, 0.34681852537048463, -0.7463230972178059, -0.8339044636033748",
        "FIXED_LARGE, 690, 660, 4.563442371932914, 60.885018365427165, 50.57970712791331, "
                + "0.2946989066572667, 0.3547348066775525, -0.7554239138682433, -0.8426110289973182",
        "LEARNED_RANGE, 30, 0, 4.945406482947206, 59.32815325303406, 45.69134226054052, "
                + "-0.03848594131734222, 0.05902111170016312, -0.4138636409821278, -0.5273878197059361",
        "FIXED_SMALL, 30, 0, 4.941183732180316, 59.308391607155414, 45.65662558774882, "
                + "-0.051529240544595845, 0.028813278589876673, -0.38546660873344374, -0.5273834726486103",
        "FIXED_LARGE, 30, 0, 4.908467261304558, 59.372401481563884, 45.86886933059248, "
                + "0.001183735948618328, 0.07024938316252088, -0.43310291368477183, -0.5729561525646081",
        "LEARNED_RANGE, 0, -1, 4.651896410501459, 60.1510423787209, 47.033766050568445, "
                + "-0.006427108610177359, 0.008709231202004869, -0.347042400812983, -0.555097166018444",
        "FIXED_SMALL, 0, -1, 4.651896410501459, 60.1510423787209, 47.033766050568445, "
                + "-0.006427108610177359, 0.008709231202004869, -0.347042400812983, -0.555097166018444",
        "FIXED_LARGE, 0, -1, 4.651896410501459, 60.1510423787209, 47.033766050568445, "
                + "-0.006427108610177359, 0.008709231202004869, -0.347042400812983, -0.555097166018444"
    })
    void stepMatchesNumpy(
            VarianceType type,
            int t,
            int prevT,
            double sum,
            double abs,
            double sq,
            double e0,
            double e17,
            double e50,
            double e95) {
        Tensor out = scheduler(type, true, 1.5).step(XT, EPS, V, t, prevT, t > 0 ? NOISE : null);
        assertGolden(out, sum, abs, sq, e0, e17, e50, e95);
    }

    @Test
    void stageTwoStepUsesSampleMaxValueOne() {
        DdpmScheduler s = new DdpmScheduler(SchedulerSpec.ifStageII());
        assertGolden(
                s.step(XT, EPS, V, 690, 660, NOISE),
                4.584184461784252,
                60.80422299502167,
                50.453536110225855,
                0.2896310151371656,
                0.3730213798761117,
                -0.7535778758416762,
                -0.8409949782302595);
    }

    @Test
    void stepWithoutThresholdingMatchesNumpy() {
        Tensor out = scheduler(VarianceType.FIXED_LARGE, false, 1.5).step(XT, EPS, null, 690, 660, NOISE);
        assertGolden(
                out,
                6.210035144042751,
                68.71736099733103,
                64.84080239932337,
                0.20339100009445385,
                0.37401702441057283,
                -0.8649204521847138,
                -0.8496985045483568);
    }
}
