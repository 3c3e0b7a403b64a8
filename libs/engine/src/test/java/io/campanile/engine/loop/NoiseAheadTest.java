package io.campanile.engine.loop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.campanile.diffusion.tensor.Tensor;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class NoiseAheadTest {
    private static final int[] SHAPE = {2, 3, 8, 8};
    private static final long STEP_BYTES = 2L * 3 * 8 * 8 * Float.BYTES;

    private static String[] streams(int steps) {
        String[] s = new String[steps];
        for (int k = 0; k < steps; k++) {
            s[k] = Noise.stepStream("sample", 990 - 30 * k);
        }
        return s;
    }

    @Test
    void everyStepGetsTheNoiseOfItsOwnStream() {
        String[] s = streams(34);
        s[33] = null; // t = 0: no noise
        try (NoiseAhead noise = new NoiseAhead(7L, s, 3, SHAPE)) {
            assertEquals(34, noise.slots()); // the whole run fits: drawn ahead without waiting
            for (int k = 0; k < s.length; k++) {
                Tensor z = noise.take(k);
                if (k == 33) {
                    assertNull(z);
                } else {
                    Tensor expected = Noise.batch(7L, s[k], 3, 2, 3, 8);
                    assertArrayEquals(expected.data(), z.data(), "step " + k);
                }
                noise.release(k);
            }
        }
    }

    @Test
    void aSmallRingIsRefilledInStepOrderWithoutOverwritingAStepInUse() throws Exception {
        String[] s = streams(12);
        s[4] = null; // a step without noise between steps with noise takes no buffer
        try (NoiseAhead noise = new NoiseAhead(11L, s, 0, SHAPE, 2 * STEP_BYTES)) {
            assertEquals(2, noise.slots());
            for (int k = 0; k < s.length; k++) {
                Tensor z = noise.take(k);
                float[] seen = z == null ? null : z.data().clone();
                Thread.sleep(5); // the task runs ahead meanwhile, as far as the ring lets it
                if (z != null) {
                    assertArrayEquals(seen, z.data(), "step " + k + " still in use");
                    assertArrayEquals(Noise.batch(11L, s[k], 0, 2, 3, 8).data(), seen, "step " + k);
                }
                noise.release(k);
            }
        }
    }

    @Test
    void closingMidRunStopsATaskWaitingForABuffer() throws Exception {
        String[] s = streams(20);
        NoiseAhead noise = new NoiseAhead(5L, s, 0, SHAPE, 2 * STEP_BYTES);
        noise.take(0); // steps 0 and 1 fill the ring; the task then waits for step 0's buffer
        noise.take(1);
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (waitingDrawTasks() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(1, waitingDrawTasks(), "the task waits for a buffer");
        noise.close();
        while (waitingDrawTasks() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(0, waitingDrawTasks());
    }

    /** Draw threads parked without a timeout: tasks waiting for a buffer (idle pool threads wait with a timeout). */
    private static long waitingDrawTasks() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("noise-ahead") && t.getState() == Thread.State.WAITING)
                .filter(t -> Arrays.stream(t.getStackTrace())
                        .anyMatch(f -> f.getClassName().equals(NoiseAhead.class.getName())))
                .count();
    }
}
