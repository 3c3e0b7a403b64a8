package io.campanile.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A poison job: every stage-1 replica that starts it halts its JVM (the test-only fault of
 * {@code campanile.worker.chaos-halt-model}), as a native crash would. Starts are recorded durably, so the job must
 * end FAILED after at most 3 starts instead of crash-looping the group, and the jobs behind it must succeed.
 */
final class Poison implements Scenario {
    static final int MAX_STARTS = 3;
    private String poison;
    private int restartsBefore;

    @Override
    public String name() {
        return "poison";
    }

    @Override
    public String description() {
        return "one job that halts the stage-1 JVM starting it, then 10 normal jobs";
    }

    @Override
    public boolean fast() {
        return true;
    }

    @Override
    public Duration bound() {
        return Duration.ofMinutes(6);
    }

    @Override
    public void run(Run run) throws Exception {
        restartsBefore = stage1Restarts(run);
        poison = run.submit(JobBodies.poison(6000));
        if (poison == null) {
            throw new IllegalStateException("the poison job was refused");
        }
        run.ledger.expect(poison, "FAILED");
        run.log("poison job " + poison);
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            bodies.add(JobBodies.tiny(6001 + i));
        }
        run.submitAll(bodies, 2).forEach(id -> run.ledger.expect(id, "SUCCEEDED"));
        run.await(poison, Run::terminal, bound());
    }

    /** Every start of the poison job halts a replica, which the supervisor restarts: restarts count starts. */
    private static int stage1Restarts(Run run) {
        return run.stage1().stream()
                .mapToInt(s -> run.stack.supervisor().restarts(s.name()))
                .sum();
    }

    @Override
    public void verify(Run run, Map<String, Database.JobRow> rows, Map<String, JobEvents.Summary> events) {
        if (poison == null) {
            return;
        }
        JobEvents.Summary s = events.get(poison);
        int reported = s == null ? 0 : s.starts.getOrDefault("stage1-worker", 0);
        int halts = stage1Restarts(run) - restartsBefore;
        Database.JobRow row = rows.get(poison);
        run.log("poison job: " + halts + " stage-1 halts, " + reported + " STARTED events, ended "
                + (row == null ? "?" : row.status() + (row.error() == null ? "" : " (" + row.error() + ")")));
        if (Math.max(halts, reported) > MAX_STARTS) {
            run.ledger.violation(
                    "the poison job was started " + Math.max(halts, reported) + " times (at most " + MAX_STARTS + ")");
        }
    }
}
