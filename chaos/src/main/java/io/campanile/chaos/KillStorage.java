package io.campanile.chaos;

import io.campanile.testkit.ServiceProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * SIGKILL of storage while workers upload outputs: once the first of a batch of jobs has stored an output and the
 * others still run. Workers must keep what they computed and retry the upload until the restarted storage answers;
 * every job must succeed, with each output stored once.
 */
final class KillStorage implements Scenario {
    private static final int JOBS = 12;

    @Override
    public String name() {
        return "kill-storage";
    }

    @Override
    public String description() {
        return "SIGKILL of storage while " + JOBS + " four-image jobs store their outputs";
    }

    @Override
    public boolean fast() {
        return true;
    }

    @Override
    public void run(Run run) throws Exception {
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < JOBS; i++) {
            bodies.add(JobBodies.longSample(2000 + i, 34, 4));
        }
        List<String> ids = run.submitAll(bodies, 4);
        ids.forEach(id -> run.ledger.expect(id, "SUCCEEDED"));
        String first = ids.get(0);
        run.await(first, j -> j.path("outputs").size() > 0 || Run.terminal(j), Duration.ofMinutes(2))
                .orElseThrow(() -> new IllegalStateException("job " + first + " stored no output in 2 minutes"));
        ServiceProcess storage = run.stack.service("storage");
        run.log("SIGKILL storage (pid " + storage.pid() + ") after the first output of job " + first);
        storage.kill();
    }
}
