package io.campanile.chaos;

import java.time.Duration;

/**
 * PostgreSQL stopped for a while as jobs run, then started again on the same data and port. The gateway refuses new
 * jobs meanwhile (503), storage cannot store images, and the gateway's event consumer cannot apply events: it must
 * keep its membership and catch up, and the lease reaper must not fail jobs whose events were merely waiting.
 */
final class PostgresOutage implements Scenario {
    private final Duration outage;

    PostgresOutage(Duration outage) {
        this.outage = outage;
    }

    @Override
    public String name() {
        return outage.toSeconds() < 120
                ? "postgres-" + outage.toSeconds() + "s"
                : "postgres-" + outage.toMinutes() + "m";
    }

    @Override
    public String description() {
        return "PostgreSQL stopped for " + outage.toSeconds() + " s while 12 jobs run; submissions tried meanwhile";
    }

    @Override
    public boolean fast() {
        return outage.toSeconds() <= 30;
    }

    @Override
    public Duration bound() {
        return outage.plus(Duration.ofMinutes(5));
    }

    @Override
    public void run(Run run) throws Exception {
        run.runningJobs(12, 4000);
        run.log("stopping PostgreSQL for " + outage.toSeconds() + " s");
        run.stack.postgres().stop();
        long stoppedAt = System.nanoTime();
        Run.sleep(Duration.ofSeconds(5));
        int refused = 0;
        for (int i = 0; i < 3; i++) {
            String id = run.submit(JobBodies.tiny(4100 + i));
            if (id == null) {
                refused++;
            }
        }
        run.log(refused + " of 3 submissions refused while the database is down");
        Run.sleep(outage.minusNanos(System.nanoTime() - stoppedAt));
        run.stack.postgres().start();
        run.log("PostgreSQL started again");
    }
}
