package io.campanile.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;

/**
 * Invariant (e): after recovery, every consumer group has one live member per replica. A replica whose process runs
 * but whose consumer loop died without a word shows here as a missing member. Group ids are the services'
 * {@code campanile.worker.group-id} (and the gateway's job-events group).
 */
final class ConsumerGroups implements AutoCloseable {
    private final Admin admin;

    ConsumerGroups(String bootstrap) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("default.api.timeout.ms", "15000");
        p.put("request.timeout.ms", "10000");
        admin = Admin.create(p);
    }

    /** The groups and how many members each must have with {@code stage1Replicas} stage-1 workers. */
    static Map<String, Integer> expected(int stage1Replicas) {
        return Map.of(
                "stage1-worker", stage1Replicas, "stage2-worker", 1, "text-encoder", 1, "trainer", 1, "gateway", 1);
    }

    /**
     * Waits up to {@code atMost} for every group to have its expected members and returns what is still wrong
     * then (empty when all is well), e.g. "stage1-worker: 1 of 2 members (Stable)".
     */
    List<String> awaitMembers(Map<String, Integer> expected, Duration atMost) throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        List<String> wrong = check(expected);
        while (!wrong.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(2000);
            wrong = check(expected);
        }
        return wrong;
    }

    private List<String> check(Map<String, Integer> expected) throws InterruptedException {
        List<String> wrong = new ArrayList<>();
        try {
            Map<String, ConsumerGroupDescription> groups =
                    admin.describeConsumerGroups(expected.keySet()).all().get(20, TimeUnit.SECONDS);
            expected.forEach((group, members) -> {
                ConsumerGroupDescription d = groups.get(group);
                int live = d == null ? 0 : d.members().size();
                if (live != members) {
                    wrong.add(group + ": " + live + " of " + members + " members ("
                            + (d == null ? "absent" : d.groupState()) + ")");
                }
            });
        } catch (ExecutionException | TimeoutException e) {
            wrong.add("groups not described: " + e.getMessage());
        }
        return wrong;
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
