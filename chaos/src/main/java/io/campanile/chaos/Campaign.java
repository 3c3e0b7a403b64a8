package io.campanile.chaos;

import io.campanile.testkit.LocalStack;
import io.campanile.testkit.ServiceProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Runs scenarios one after the other on one stack. After each it brings the stack back (broker and database
 * running, every service released to the supervisor and ready), lets the jobs settle, and checks the invariants.
 */
final class Campaign implements AutoCloseable {
    private static final Duration RECOVERY = Duration.ofMinutes(4);
    private final LocalStack stack;
    private final Database db;
    private final JobEvents events;
    private final ConsumerGroups groups;
    private long seed = 34224309;

    private Campaign(LocalStack stack) {
        this.stack = stack;
        this.db = new Database(stack.postgres());
        this.events = new JobEvents(stack.kafka().bootstrapServers());
        this.groups = new ConsumerGroups(stack.kafka().bootstrapServers());
    }

    /** Starts a fresh stack with its data in {@code data} (logs stay there) and runs a warm-up job through it. */
    static Campaign start(Path root, Path data) throws Exception {
        long t0 = System.nanoTime();
        LocalStack stack = ChaosStack.start(root, data);
        System.out.printf("chaos: stack up in %.0f s; logs in %s%n", (System.nanoTime() - t0) / 1e9, stack.logsDir());
        Campaign campaign = new Campaign(stack);
        campaign.warmUp();
        return campaign;
    }

    /** One tiny job and one medium job end to end, so no scenario pays for the services' first (JIT) jobs. */
    private void warmUp() throws Exception {
        Run run = new Run("warm-up", stack, new Ledger(), seed);
        for (String body : List.of(JobBodies.tiny(1), JobBodies.medium(2))) {
            String id = run.submit(body);
            if (id == null
                    || run.await(id, Run::terminal, Duration.ofMinutes(2))
                            .map(j -> !j.path("status").asText().equals("SUCCEEDED"))
                            .orElse(true)) {
                throw new IllegalStateException("the warm-up job " + id + " did not succeed; see " + stack.logsDir());
            }
        }
    }

    LocalStack stack() {
        return stack;
    }

    ScenarioResult run(Scenario scenario) throws Exception {
        Ledger ledger = new Ledger();
        Run run = new Run(scenario.name(), stack, ledger, seed++);
        run.log(scenario.description());
        long t0 = System.nanoTime();
        try {
            scenario.run(run);
        } catch (Exception e) {
            ledger.violation("scenario aborted: " + e);
            run.log("aborted: " + e);
        }
        recover(run);
        Map<String, Database.JobRow> rows = new Settling(db).settle(ledger, scenario.bound());
        if (ledger.acceptedLate() > 0) {
            run.log(ledger.acceptedLate() + " jobs stored without a confirmed answer, found by idempotency key");
        }
        List<String> wrongGroups =
                groups.awaitMembers(ConsumerGroups.expected(ChaosStack.STAGE1_REPLICAS), Duration.ofSeconds(90));
        Map<String, JobEvents.Summary> seen = events.readToEnd(Duration.ofSeconds(60));
        scenario.verify(run, rows, seen);
        ScenarioResult result =
                new Invariants(db, seen).check(scenario.name(), ledger, rows, scenario.bound(), wrongGroups);
        run.log(String.format(
                "done in %.0f s: %d accepted, %d lost, %d violations",
                (System.nanoTime() - t0) / 1e9,
                result.accepted(),
                result.lost(),
                result.violations().size()));
        return result;
    }

    /** Brings back whatever the scenario left down and waits until every service is ready again. */
    private void recover(Run run) throws Exception {
        stack.kafka().start();
        stack.postgres().start();
        for (ServiceProcess s : stack.services()) {
            stack.supervisor().release(s.name());
        }
        long deadline = System.nanoTime() + RECOVERY.toNanos();
        for (ServiceProcess s : stack.services()) {
            while (!(s.isAlive() && s.isReady())) {
                if (System.nanoTime() > deadline) {
                    run.ledger.violation(s.name() + " not ready " + RECOVERY.toMinutes() + " min after the fault");
                    break;
                }
                Thread.sleep(500);
            }
        }
    }

    @Override
    public void close() {
        events.close();
        groups.close();
        stack.close();
    }
}
