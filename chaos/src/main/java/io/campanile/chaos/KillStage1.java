package io.campanile.chaos;

import io.campanile.testkit.ServiceProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * SIGKILL of a stage-1 replica at random moments while jobs run on both; the supervisor restarts it. A few jobs are
 * cancelled while still queued, so (d) is checked under the same faults. Every other job must succeed.
 */
final class KillStage1 implements Scenario {
    private final int jobs;
    private final int kills;

    KillStage1(int jobs, int kills) {
        this.jobs = jobs;
        this.kills = kills;
    }

    @Override
    public String name() {
        return "kill-stage1";
    }

    @Override
    public String description() {
        return kills + " SIGKILLs of a stage-1 replica at random moments while " + jobs + " jobs run on two replicas";
    }

    @Override
    public boolean fast() {
        return true;
    }

    @Override
    public void run(Run run) throws Exception {
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < jobs; i++) {
            bodies.add(JobBodies.medium(1000 + i));
        }
        List<String> ids = run.submitAll(bodies, 4);
        List<String> cancelled = ids.subList(Math.max(0, ids.size() - 3), ids.size());
        cancelQueued(run, cancelled);
        ids.stream().filter(id -> !cancelled.contains(id)).forEach(id -> run.ledger.expect(id, "SUCCEEDED"));
        for (int k = 0; k < kills; k++) {
            Run.sleep(Duration.ofMillis(2000 + run.random.nextInt(6000)));
            List<ServiceProcess> alive =
                    run.stage1().stream().filter(ServiceProcess::isAlive).toList();
            if (alive.isEmpty()) {
                continue;
            }
            ServiceProcess victim = alive.get(run.random.nextInt(alive.size()));
            run.log("SIGKILL " + victim.name() + " (pid " + victim.pid() + ")");
            victim.kill();
        }
    }

    /**
     * The last jobs wait behind the others; those the gateway cancels at once (still QUEUED) must never run. One
     * already running may end CANCELLED or, if it finished first, SUCCEEDED: no expectation then.
     */
    private static void cancelQueued(Run run, List<String> ids) {
        for (String id : ids) {
            run.gateway
                    .cancel(id)
                    .filter(view -> view.path("status").asText().equals("CANCELLED"))
                    .ifPresent(v -> {
                        run.ledger.cancelledWhileQueued(id);
                        run.ledger.expect(id, "CANCELLED");
                    });
        }
        run.log(run.ledger.cancelledQueued().size() + " jobs cancelled while queued");
    }
}
