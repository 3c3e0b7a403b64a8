package io.campanile.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The broker stopped for a while as jobs run, then started again on the same logs and port. Jobs submitted meanwhile
 * wait in the gateway's outbox. Every job must succeed once the broker is back: consumers, producers and the outbox
 * relay reconnect, and no loop dies for good.
 */
final class KafkaOutage implements Scenario {
    private final Duration outage;

    KafkaOutage(Duration outage) {
        this.outage = outage;
    }

    @Override
    public String name() {
        return "kafka-" + outage.toSeconds() + "s";
    }

    @Override
    public String description() {
        return "Kafka stopped for " + outage.toSeconds() + " s while 12 jobs run; 4 more submitted meanwhile";
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
        run.runningJobs(12, 3000);
        run.log("stopping Kafka for " + outage.toSeconds() + " s");
        run.stack.kafka().stop();
        long stoppedAt = System.nanoTime();
        Run.sleep(Duration.ofSeconds(3));
        List<String> during = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            during.add(JobBodies.tiny(3100 + i));
        }
        run.submitAll(during, 2).forEach(id -> run.ledger.expect(id, "SUCCEEDED"));
        Run.sleep(outage.minusNanos(System.nanoTime() - stoppedAt));
        run.stack.kafka().start();
        run.log("Kafka started again");
    }
}
