package io.campanile.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * SIGTERM of the replica running a longer job, mid-job (a rolling restart): the worker must hand the job back, not
 * fail it, and the job must end SUCCEEDED on its next owner. Small jobs submitted after it must succeed too.
 */
final class SigtermStage1 implements Scenario {
    private String longJob;

    @Override
    public String name() {
        return "sigterm-stage1";
    }

    @Override
    public String description() {
        return "SIGTERM of the stage-1 replica running a 100-step, 8-image job, a third of the way in";
    }

    @Override
    public boolean fast() {
        return true;
    }

    @Override
    public Duration bound() {
        return Duration.ofMinutes(4);
    }

    @Override
    public void run(Run run) throws Exception {
        longJob = run.submit(JobBodies.longSample(7, 100, 8));
        if (longJob == null) {
            throw new IllegalStateException("the long job was refused");
        }
        run.ledger.expect(longJob, "SUCCEEDED");
        JsonNode job = run.await(
                        longJob,
                        j -> Run.running(j)
                                && j.path("progress").path("stage").asText().equals("sample")
                                && fraction(j) >= 0.33,
                        Duration.ofMinutes(2))
                .orElseThrow(() -> new IllegalStateException("job " + longJob + " never ran a third of its steps"));
        String worker = job.get("worker").asText();
        run.log("SIGTERM " + worker + " at step "
                + job.path("progress").path("step").asInt() + " of "
                + job.path("progress").path("total").asInt() + " of job " + longJob);
        run.stack.service(worker).terminate();
        List<String> later = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            later.add(JobBodies.tiny(300 + i));
        }
        run.submitAll(later, 2).forEach(id -> run.ledger.expect(id, "SUCCEEDED"));
    }

    /** How far the denoising loop is (the text encoder reports progress too, under its own stage). */
    private static double fraction(JsonNode job) {
        JsonNode p = job.path("progress");
        int total = p.path("total").asInt(0);
        return total == 0 ? 0 : p.path("step").asDouble() / total;
    }

    @Override
    public void verify(Run run, Map<String, Database.JobRow> rows, Map<String, JobEvents.Summary> events) {
        if (longJob == null) {
            return;
        }
        Database.JobRow row = rows.get(longJob);
        if (row != null && row.status().equals("FAILED")) {
            run.ledger.violation("the job stopped by SIGTERM FAILED: " + row.error());
        }
        JobEvents.Summary s = events.get(longJob);
        run.log("job " + longJob + ": stage-1 starts " + (s == null ? 0 : s.starts.getOrDefault("stage1-worker", 0)));
    }
}
