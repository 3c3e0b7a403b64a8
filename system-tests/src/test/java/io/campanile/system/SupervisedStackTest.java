package io.campanile.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.campanile.testkit.ServiceProcess;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The stack restarts a service that dies: a SIGKILLed stage-2 worker comes back on its port, rejoins its group and
 * runs the next job, with no one but the supervisor acting.
 */
@ExtendWith(Stack.Extension.class)
class SupervisedStackTest {

    @Test
    void aKilledWorkerIsRestartedAndTakesTheNextJob() throws Exception {
        ServiceProcess worker = Stack.get().service("stage2-worker");
        long before = worker.pid();
        int restarts = Stack.get().supervisor().restarts("stage2-worker");
        worker.kill();
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (!(worker.isAlive() && worker.isReady())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("stage2-worker not back in 3 minutes; see " + worker.log());
            }
            Thread.sleep(200);
        }
        assertNotEquals(before, worker.pid());
        assertEquals(restarts + 1, Stack.get().supervisor().restarts("stage2-worker"));
        JsonPath job = Jobs.awaitTerminal(
                Jobs.submit(Jobs.request(
                        "upscale",
                        "model",
                        Stage2Test.STAGE2,
                        "prompt",
                        "a photo of a cat",
                        "timesteps",
                        List.of(990, 500, 0),
                        "seed",
                        7)),
                Duration.ofMinutes(3));
        assertEquals("SUCCEEDED", job.getString("status"), job.prettify());
        assertEquals("stage2-worker", job.getString("worker"));
    }
}
