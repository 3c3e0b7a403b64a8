package io.campanile.diffusion.schedule;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.campanile.diffusion.noise.SeededNoise;
import io.campanile.diffusion.tensor.Tensor;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DdpmSchedulerTest {

    private static final Tensor XT = SeededNoise.gaussian(7, "xt", 0, 2, 3, 8, 8);
    private static final Tensor EPS = SeededNoise.gaussian(7, "eps", 0, 2, 3, 8, 8);
    private static final Tensor NOISE = SeededNoise.gaussian(7, "z", 0, 2, 3, 8, 8);

    private static DdpmScheduler plain(VarianceType type) {
        return new DdpmScheduler(
                new SchedulerSpec(BetaSchedule.SQUAREDCOS_CAP_V2, 1000, 1e-4, 0.02, type, false, 0.95, 1.5));
    }

    /** IF-FACTS golden alpha_bar values, through the IF stage I and II schedulers. */
    @ParameterizedTest
    @CsvSource({"0, 0.99996", "250, 0.8459", "500, 0.4923", "750, 0.1432", "690, 0.2145", "390, 0.6608", "990, 1.967e-4"
    })
    void ifSchedulersHaveTheGoldenAlphaBars(int t, double expected) {
        for (SchedulerSpec spec : new SchedulerSpec[] {SchedulerSpec.ifStageI(), SchedulerSpec.ifStageII()}) {
            DdpmScheduler s = new DdpmScheduler(spec);
            assertEquals(expected, s.schedule().alphaCumprod(t), Math.min(1e-4, expected * 1e-3));
            assertEquals(expected, s.alphaCumprodPrev(t), Math.min(1e-4, expected * 1e-3));
        }
    }

    /** The CS180 part-A loop written out: x_t' = sqrt(a') b / (1 - a) x0 + sqrt(al) (1 - a') / (1 - a) x_t + .. */
    @Test
    void withoutThresholdingTheStepIsTheCourseFormula() {
        NoiseSchedule s = NoiseSchedule.ifDefault();
        int t = 690;
        int prev = 660;
        double a = s.alphaCumprod(t);
        double ap = s.alphaCumprod(prev);
        double alpha = a / ap;
        double beta = 1 - alpha;
        Tensor out = plain(VarianceType.FIXED_LARGE).step(XT, EPS, null, t, prev, NOISE);
        for (int i = 0; i < XT.size(); i++) {
            double x = XT.data()[i];
            double x0 = (x - Math.sqrt(1 - a) * EPS.data()[i]) / Math.sqrt(a);
            double mean = Math.sqrt(ap) * beta / (1 - a) * x0 + Math.sqrt(alpha) * (1 - ap) / (1 - a) * x;
            double expected = mean + Math.sqrt(beta) * NOISE.data()[i];
            assertEquals(expected, out.data()[i], 1e-5 * Math.max(1, Math.abs(expected)), "element " + i);
        }
    }

    @Test
    void learnedRangeEndpointsAreTheFixedVariances() {
        Tensor minusOne = filled(-1f);
        Tensor plusOne = filled(1f);
        DdpmScheduler learned = plain(VarianceType.LEARNED_RANGE);
        assertClose(
                plain(VarianceType.FIXED_SMALL).step(XT, EPS, null, 690, 660, NOISE),
                learned.step(XT, EPS, minusOne, 690, 660, NOISE));
        assertClose(
                plain(VarianceType.FIXED_LARGE).step(XT, EPS, null, 690, 660, NOISE),
                learned.step(XT, EPS, plusOne, 690, 660, NOISE));
    }

    @Test
    void stepIntoMayWriteOverXtAndEqualsStep() {
        DdpmScheduler s = new DdpmScheduler(SchedulerSpec.ifStageI());
        Tensor v = SeededNoise.gaussian(7, "v", 0, 2, 3, 8, 8);
        Tensor expected = s.step(XT, EPS, v, 990, 960, NOISE);
        Tensor x = XT.copy();
        s.stepInto(x, EPS, v, 990, 960, NOISE, x);
        assertArrayEquals(expected.data(), x.data());
        assertNotEquals(XT.data()[0], x.data()[0]);
    }

    @Test
    void thresholdingIsPerSampleAndWorksOnChw() {
        DdpmScheduler s = new DdpmScheduler(SchedulerSpec.ifStageI());
        Tensor batch = s.predictOriginal(XT, EPS, 500);
        int n = XT.size() / 2;
        for (int b = 0; b < 2; b++) {
            float[] xs = Arrays.copyOfRange(XT.data(), b * n, (b + 1) * n);
            float[] es = Arrays.copyOfRange(EPS.data(), b * n, (b + 1) * n);
            Tensor one =
                    s.predictOriginal(new Tensor(new int[] {3, 8, 8}, xs), new Tensor(new int[] {3, 8, 8}, es), 500);
            assertArrayEquals(Arrays.copyOfRange(batch.data(), b * n, (b + 1) * n), one.data());
        }
        for (float x : batch.data()) {
            assertTrue(Math.abs(x) <= 1f, "thresholded x0 outside [-1, 1]: " + x);
        }
    }

    @Test
    void noNoiseAtTimestepZero() {
        DdpmScheduler s = plain(VarianceType.FIXED_LARGE);
        assertArrayEquals(
                s.step(XT, EPS, null, 0, -1, null).data(),
                s.step(XT, EPS, null, 0, -1, NOISE).data());
        assertEquals(1.0, s.alphaCumprodPrev(-1));
    }

    @Test
    void rejectsBadArguments() {
        DdpmScheduler learned = new DdpmScheduler(SchedulerSpec.ifStageI());
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> learned.step(XT, EPS, null, 690, 660, NOISE));
        assertTrue(e.getMessage().contains("v"), e.getMessage());
        DdpmScheduler fixed = plain(VarianceType.FIXED_SMALL);
        assertThrows(IllegalArgumentException.class, () -> fixed.step(XT, EPS, null, 690, 690, NOISE));
        assertThrows(IllegalArgumentException.class, () -> fixed.step(XT, EPS, null, 690, -2, NOISE));
        assertThrows(IllegalArgumentException.class, () -> fixed.step(XT, EPS, null, 1000, 990, NOISE));
        assertThrows(IllegalArgumentException.class, () -> fixed.step(XT, EPS, null, 690, 660, null));
        Tensor small = Tensor.zeros(2, 3, 4, 4);
        assertThrows(IllegalArgumentException.class, () -> fixed.step(XT, small, null, 690, 660, NOISE));
        assertThrows(IllegalArgumentException.class, () -> fixed.predictOriginal(Tensor.zeros(4), Tensor.zeros(4), 5));
        assertThrows(IllegalArgumentException.class, () -> fixed.alphaCumprodPrev(1000));
    }

    @Test
    void specPresetsAndParsing() {
        SchedulerSpec one = SchedulerSpec.ifStageI();
        assertEquals(BetaSchedule.SQUAREDCOS_CAP_V2, one.betaSchedule());
        assertEquals(1000, one.numTrainTimesteps());
        assertEquals(VarianceType.LEARNED_RANGE, one.varianceType());
        assertTrue(one.thresholding());
        assertEquals(0.95, one.dynamicThresholdingRatio());
        assertEquals(1.5, one.sampleMaxValue());
        assertEquals(1.0, SchedulerSpec.ifStageII().sampleMaxValue());
        assertEquals(VarianceType.FIXED_LARGE, VarianceType.parse("fixed"));
        assertEquals(VarianceType.FIXED_LARGE, VarianceType.parse("Fixed_Large"));
        assertEquals(VarianceType.FIXED_SMALL, VarianceType.parse("fixed_small"));
        assertEquals(VarianceType.LEARNED_RANGE, VarianceType.parse("learned_range"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VarianceType.parse("learned"));
        assertTrue(e.getMessage().contains("'learned'"), e.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> new SchedulerSpec(
                        BetaSchedule.LINEAR, 0, 1e-4, 0.02, VarianceType.FIXED_LARGE, false, 0.95, 1.0));
    }

    private static Tensor filled(float value) {
        Tensor t = Tensor.zeros(XT.shape());
        Arrays.fill(t.data(), value);
        return t;
    }

    private static void assertClose(Tensor expected, Tensor actual) {
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.data()[i], actual.data()[i], 1e-5, "element " + i);
        }
    }

    /** The learned-range std's exponential agrees with Math.exp over the whole range the step can meet. */
    @Test
    void learnedRangeExponentialMatchesMathExp() {
        for (double x = -760; x <= 760; x += 0.0137) {
            double expected = Math.exp(x);
            assertEquals(expected, DdpmScheduler.exp(x), 1e-10 * expected, "e^" + x);
        }
        assertTrue(Double.isNaN(DdpmScheduler.exp(Double.NaN)));
        assertEquals(Double.POSITIVE_INFINITY, DdpmScheduler.exp(1e6));
        assertEquals(0.0, DdpmScheduler.exp(-1e6));
    }
}
