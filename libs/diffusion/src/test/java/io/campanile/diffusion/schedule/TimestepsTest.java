package io.campanile.diffusion.schedule;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TimestepsTest {

    @Test
    void leadingSpacingIsDiffusersSetTimestepsForIf() {
        // Values from diffusers' DDPMScheduler.set_timesteps(n), timestep_spacing "leading", steps_offset 0.
        int[] twenty = Timesteps.leading(20, 1000);
        assertEquals(20, twenty.length);
        assertArrayEquals(new int[] {950, 900, 850}, Arrays.copyOf(twenty, 3));
        assertArrayEquals(new int[] {100, 50, 0}, Arrays.copyOfRange(twenty, 17, 20));
        int[] fifty = Timesteps.leading(50, 1000);
        assertArrayEquals(new int[] {980, 960}, Arrays.copyOf(fifty, 2));
        assertArrayEquals(new int[] {20, 0}, Arrays.copyOfRange(fifty, 48, 50));
        int[] hundred = Timesteps.leading(100, 1000);
        assertArrayEquals(new int[] {990, 980}, Arrays.copyOf(hundred, 2));
        assertEquals(10, hundred[98]);
        assertArrayEquals(new int[] {800, 600, 400, 200, 0}, Timesteps.leading(5, 1000));
        assertArrayEquals(new int[] {28, 21, 14, 7, 0}, Timesteps.leading(5, 36));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Timesteps.leading(0, 1000));
        assertTrue(e.getMessage().startsWith("num_inference_steps: "), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Timesteps.leading(1001, 1000));
    }

    @Test
    void courseListHas34EntriesFrom990To0() {
        int[] ts = Timesteps.strided(990, 30);
        assertEquals(34, ts.length);
        assertEquals(990, ts[0]);
        assertEquals(960, ts[1]);
        assertEquals(690, ts[10]);
        assertEquals(390, ts[20]);
        assertEquals(30, ts[32]);
        assertEquals(0, ts[33]);
        assertArrayEquals(ts, Timesteps.courseDefault(1000));
    }

    @Test
    void stridedStopsAtTheLastNonNegativeValue() {
        assertArrayEquals(new int[] {10, 7, 4, 1}, Timesteps.strided(10, 3));
        assertArrayEquals(new int[] {0}, Timesteps.strided(0, 5));
        assertThrows(IllegalArgumentException.class, () -> Timesteps.strided(10, 0));
        assertThrows(IllegalArgumentException.class, () -> Timesteps.strided(-1, 1));
    }

    @Test
    void courseDefaultForOtherLengthsIsEveryTimestep() {
        int[] ts = Timesteps.courseDefault(300);
        assertEquals(300, ts.length);
        assertEquals(299, ts[0]);
        assertEquals(0, ts[299]);
    }

    /** Lengths as in the names; sums guard the copied numbers against accidental edits. */
    @ParameterizedTest
    @CsvSource({
        "fast27, 27, 8687", "smart27, 27, 13426", "smart50, 50, 24976", "smart100, 100, 70152",
        "smart185, 185, 130152", "super27, 27, 20190", "super40, 40, 27880", "super100, 100, 66750"
    })
    void namedListsMatchDiffusers(String name, int length, int sum) {
        int[] ts = Timesteps.named(name);
        assertEquals(length, ts.length);
        assertEquals(999, ts[0]);
        assertEquals(0, ts[ts.length - 1]);
        for (int i = 1; i < ts.length; i++) {
            assertTrue(ts[i] < ts[i - 1], name + " not strictly decreasing at " + i);
        }
        assertEquals(sum, Arrays.stream(ts).sum());
        assertArrayEquals(ts, Timesteps.of(Arrays.stream(ts).boxed().toList(), 1000));
    }

    @Test
    void namedListsSpotValuesAndDefensiveCopies() {
        assertArrayEquals(new int[] {999, 800, 799, 600, 599}, Arrays.copyOf(Timesteps.named("fast27"), 5));
        assertEquals(100, Timesteps.named("SUPER27")[25]);
        Timesteps.named("smart50")[0] = 5;
        assertEquals(999, Timesteps.named("smart50")[0]);
        assertEquals(
                List.of("fast27", "smart27", "smart50", "smart100", "smart185", "super27", "super40", "super100"),
                Timesteps.names());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Timesteps.named("fast28"));
        assertTrue(e.getMessage().contains("fast28") && e.getMessage().contains("smart185"), e.getMessage());
    }

    @Test
    void explicitListsAreValidated() {
        assertArrayEquals(new int[] {999, 500, 0}, Timesteps.of(List.of(999, 500, 0), 1000));
        assertMessage("empty", () -> Timesteps.of(List.of(), 1000));
        assertMessage("decreasing", () -> Timesteps.of(List.of(500, 500), 1000));
        assertMessage("decreasing", () -> Timesteps.of(List.of(100, 200), 1000));
        assertMessage("outside", () -> Timesteps.of(List.of(1000, 0), 1000));
        assertMessage("outside", () -> Timesteps.of(List.of(10, -1), 1000));
    }

    private static void assertMessage(String part, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith("timesteps: ") && e.getMessage().contains(part), e.getMessage());
    }
}
