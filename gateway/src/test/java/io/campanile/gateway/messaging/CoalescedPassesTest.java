package io.campanile.gateway.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CoalescedPassesTest {

    @Test
    void aPassAskedForWhileOneRunsFollowsItAtOnce() throws Exception {
        CoalescedPasses passes = new CoalescedPasses();
        AtomicInteger ran = new AtomicInteger();
        CountDownLatch inFirst = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread timer = new Thread(() -> passes.run(() -> {
            if (ran.incrementAndGet() == 1) {
                inFirst.countDown();
                await(release);
            }
            return true;
        }));
        timer.start();
        assertTrue(inFirst.await(10, TimeUnit.SECONDS));
        // Two wakes while the first pass runs: both return at once, and coalesce into one more pass.
        passes.run(() -> {
            throw new AssertionError("a second pass ran beside the first");
        });
        passes.run(() -> {
            throw new AssertionError("a second pass ran beside the first");
        });
        assertEquals(1, ran.get());
        release.countDown();
        timer.join(10_000);
        assertEquals(2, ran.get(), "the pass asked for during the first ran right after it, on the same thread");
    }

    @Test
    void aFailedPassIsNotRepeatedAtOnce() {
        CoalescedPasses passes = new CoalescedPasses();
        AtomicInteger ran = new AtomicInteger();
        passes.run(() -> {
            ran.incrementAndGet();
            passes.run(() -> true); // asked for during the pass, which then fails
            return false;
        });
        assertEquals(1, ran.get(), "after a failure the timer retries, not a busy loop");
        passes.run(() -> ran.incrementAndGet() > 0);
        assertEquals(2, ran.get(), "the next run is not blocked");
    }

    @Test
    void passesRunOneAfterAnotherWhenNothingOverlaps() {
        CoalescedPasses passes = new CoalescedPasses();
        AtomicInteger ran = new AtomicInteger();
        for (int i = 0; i < 3; i++) {
            passes.run(() -> ran.incrementAndGet() > 0);
        }
        assertEquals(3, ran.get());
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
