package io.campanile.diffusion.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NoiseScheduleTest {

    private static final NoiseSchedule IF = NoiseSchedule.ifDefault();

    /** Golden values from IF-FACTS (diffusers DDPMScheduler, squaredcos_cap_v2, 1000 steps, float32). */
    @ParameterizedTest
    @CsvSource({"0, 0.99996", "250, 0.8459", "500, 0.4923", "750, 0.1432", "690, 0.2145", "390, 0.6608"})
    void ifAlphaCumprodMatchesGoldenValues(int t, double expected) {
        assertEquals(expected, IF.alphaCumprod(t), 1e-4);
    }

    @Test
    void ifAlphaCumprodNearTheEndMatchesRelatively() {
        assertEquals(1.967e-4, IF.alphaCumprod(990), 1.967e-4 * 1e-3);
    }

    /** numpy: float32 betas, float32 1 - beta, cumprod accumulated in double, rounded to float32. */
    @Test
    void ifAlphaCumprodMatchesFloat32ReferenceDigits() {
        assertEquals(0.9999587f, (float) IF.alphaCumprod(0));
        assertEquals(0.84588796f, (float) IF.alphaCumprod(250), 1e-7);
        assertEquals(2.4287354e-09f, (float) IF.alphaCumprod(999), 1e-15);
    }

    @Test
    void ifScheduleHasThousandStepsAndCapsBeta() {
        assertEquals(1000, IF.numTrainSteps());
        assertEquals(0.999, IF.beta(999), 1e-6);
        for (int t = 1; t < 1000; t++) {
            assertTrue(IF.alphaCumprod(t) < IF.alphaCumprod(t - 1), "alpha_bar not decreasing at " + t);
        }
    }

    @Test
    void linearScheduleHasExactEndpointsAndIsMonotone() {
        NoiseSchedule s = NoiseSchedule.of(BetaSchedule.LINEAR, 300, 1e-4, 0.02);
        assertEquals(300, s.numTrainSteps());
        assertEquals((float) 1e-4, (float) s.beta(0));
        assertEquals(0.02f, (float) s.beta(299));
        assertEquals(1e-4 + (0.02 - 1e-4) / 299, s.beta(1), 1e-9);
        for (int t = 1; t < 300; t++) {
            assertTrue(s.beta(t) > s.beta(t - 1), "beta not increasing at " + t);
            assertTrue(s.alphaCumprod(t) < s.alphaCumprod(t - 1), "alpha_bar not decreasing at " + t);
        }
        assertEquals(1 - 1e-4, s.alphaCumprod(0), 1e-7);
    }

    @Test
    void linearBetasAreSymmetricLikeTorchLinspace() {
        double[] b = BetaSchedule.LINEAR.betas(5, 0.0, 1.0);
        assertEquals(0.0, b[0]);
        assertEquals(0.25, b[1]);
        assertEquals(0.5, b[2]);
        assertEquals(0.75, b[3]);
        assertEquals(1.0, b[4]);
    }

    @Test
    void checkTimestepNamesTheField() {
        IF.checkTimestep("noise_level", 0);
        IF.checkTimestep("noise_level", 999);
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> IF.checkTimestep("noise_level", 1000));
        assertTrue(e.getMessage().startsWith("noise_level"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> IF.checkTimestep("t", -1));
        assertThrows(IllegalArgumentException.class, () -> IF.alphaCumprod(1000));
    }

    @Test
    void parseAcceptsDiffusersNamesCaseInsensitively() {
        assertEquals(BetaSchedule.SQUAREDCOS_CAP_V2, BetaSchedule.parse("squaredcos_cap_v2"));
        assertEquals(BetaSchedule.SQUAREDCOS_CAP_V2, BetaSchedule.parse("SquaredCos_Cap_V2"));
        assertEquals(BetaSchedule.LINEAR, BetaSchedule.parse("LINEAR"));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> BetaSchedule.parse("scaled_linear"));
        assertTrue(e.getMessage().contains("scaled_linear") && e.getMessage().contains("squaredcos_cap_v2"));
        assertThrows(IllegalArgumentException.class, () -> BetaSchedule.parse(null));
    }

    @Test
    void rejectsNonPositiveStepCount() {
        assertThrows(IllegalArgumentException.class, () -> NoiseSchedule.of(BetaSchedule.LINEAR, 0, 1e-4, 0.02));
    }
}
