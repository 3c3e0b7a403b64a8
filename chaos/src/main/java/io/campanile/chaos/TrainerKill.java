package io.campanile.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import io.campanile.testkit.ServiceProcess;
import java.time.Duration;
import java.util.Map;

/**
 * SIGKILL of the trainer in the middle of epoch 2 of a 3-epoch run. The checkpoint of epoch 1 is in storage, so the
 * job, redelivered to the restarted trainer, must go on from epoch 2 (its progress never falls back into epoch 1),
 * show an attempt above 1, and succeed.
 */
final class TrainerKill implements Scenario {
    private static final int EPOCHS = 3;
    private static final int IMAGES = 2048;
    private String job;
    private int attempt = -1;
    private int lowestStepAfterKill = Integer.MAX_VALUE;
    private int stepsPerEpoch;

    @Override
    public String name() {
        return "trainer-kill";
    }

    @Override
    public String description() {
        return "SIGKILL of the trainer mid-epoch 2 of a " + EPOCHS + "-epoch DDPM run on " + IMAGES + " digits";
    }

    @Override
    public Duration bound() {
        return Duration.ofMinutes(10);
    }

    @Override
    public void run(Run run) throws Exception {
        job = run.submit(JobBodies.train(9, EPOCHS, IMAGES));
        if (job == null) {
            throw new IllegalStateException("the train job was refused");
        }
        run.ledger.expect(job, "SUCCEEDED");
        JsonNode midEpoch2 = run.await(
                        job,
                        j -> Run.running(j)
                                && j.path("progress")
                                                .path("detail")
                                                .path("epoch")
                                                .asInt()
                                        >= 2
                                && inEpoch(j) >= 0.3,
                        Duration.ofMinutes(6))
                .orElseThrow(() -> new IllegalStateException("job " + job + " never reached the middle of epoch 2"));
        stepsPerEpoch = midEpoch2.path("progress").path("total").asInt() / EPOCHS;
        ServiceProcess trainer = run.stack.service("trainer");
        run.log("SIGKILL trainer (pid " + trainer.pid() + ") at step "
                + midEpoch2.path("progress").path("step").asInt() + " (" + stepsPerEpoch + " steps per epoch) of job "
                + job);
        trainer.kill();
        long deadline = System.nanoTime() + bound().toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode j = run.gateway.job(job).orElse(null);
            if (j != null
                    && j.path("attempt").asInt() > 1
                    && j.path("status").asText().equals("RUNNING")) {
                lowestStepAfterKill = Math.min(
                        lowestStepAfterKill, j.path("progress").path("step").asInt());
            }
            if (j != null && Run.terminal(j)) {
                attempt = j.path("attempt").asInt(-1);
                return;
            }
            Thread.sleep(200);
        }
    }

    /** How far into its current epoch the run is, 0 to 1. */
    private static double inEpoch(JsonNode job) {
        JsonNode p = job.path("progress");
        int perEpoch = Math.max(1, p.path("total").asInt() / EPOCHS);
        return (p.path("step").asInt() - (p.path("detail").path("epoch").asInt() - 1) * perEpoch) / (double) perEpoch;
    }

    @Override
    public void verify(Run run, Map<String, Database.JobRow> rows, Map<String, JobEvents.Summary> events) {
        if (job == null || stepsPerEpoch == 0) {
            return;
        }
        run.log("train job " + job + ": attempt " + attempt + ", lowest step seen after the kill "
                + (lowestStepAfterKill == Integer.MAX_VALUE ? "none" : lowestStepAfterKill) + " (epoch 2 starts at "
                + (stepsPerEpoch + 1) + ")");
        if (attempt <= 1) {
            run.ledger.violation("the killed train job ended with attempt " + attempt + " (a second start expected)");
        }
        if (lowestStepAfterKill <= stepsPerEpoch) {
            run.ledger.violation("the train job started over: step " + lowestStepAfterKill
                    + " after the kill, not resumed from the checkpoint of epoch 1");
        }
    }
}
