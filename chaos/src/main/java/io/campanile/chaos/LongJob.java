package io.campanile.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The reproduction: a 200-step, 16-image sample (about 70 s here) on one replica. Under the old consumer it
 * outlived the poll bound, was re-assigned and run twice, and every later job stayed QUEUED. Now it must run once
 * (one stage-1 start, attempt 1), and jobs submitted while it runs, including after its first minute, must succeed.
 */
final class LongJob implements Scenario {
    private String longJob;
    private int attempt = -1;

    @Override
    public String name() {
        return "long-job";
    }

    @Override
    public String description() {
        return "a 200-step, 16-image job (about 70 s) with jobs submitted beside it before and after its first minute";
    }

    @Override
    public Duration bound() {
        return Duration.ofMinutes(6);
    }

    @Override
    public void run(Run run) throws Exception {
        longJob = run.submit(JobBodies.longSample(8, 200, 16));
        if (longJob == null) {
            throw new IllegalStateException("the long job was refused");
        }
        run.ledger.expect(longJob, "SUCCEEDED");
        run.await(longJob, Run::running, Duration.ofMinutes(2))
                .orElseThrow(() -> new IllegalStateException("job " + longJob + " never started"));
        submitBeside(run, 7100);
        Run.sleep(Duration.ofSeconds(65));
        submitBeside(run, 7200);
        JsonNode done = run.await(longJob, Run::terminal, Duration.ofMinutes(4)).orElse(null);
        attempt = done == null ? -1 : done.path("attempt").asInt(-1);
    }

    private static void submitBeside(Run run, int seed) throws Exception {
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            bodies.add(JobBodies.tiny(seed + i));
        }
        run.submitAll(bodies, 2).forEach(id -> run.ledger.expect(id, "SUCCEEDED"));
    }

    @Override
    public void verify(Run run, Map<String, Database.JobRow> rows, Map<String, JobEvents.Summary> events) {
        if (longJob == null) {
            return;
        }
        JobEvents.Summary s = events.get(longJob);
        int starts = s == null ? 0 : s.starts.getOrDefault("stage1-worker", 0);
        run.log("long job " + longJob + ": " + starts + " stage-1 starts, attempt " + attempt);
        if (starts != 1) {
            run.ledger.violation("the long job was started " + starts + " times by stage 1 (once expected)");
        }
        if (attempt != 1) {
            run.ledger.violation("the long job's attempt is " + attempt + " (1 expected)");
        }
    }
}
