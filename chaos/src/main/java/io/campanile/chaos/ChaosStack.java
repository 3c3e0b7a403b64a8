package io.campanile.chaos;

import io.campanile.testkit.LocalStack;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The local stack the campaign runs on: throw-away data, free ports, the test packs plus the poison pack, two stage-1
 * replicas running two jobs at once each, and bounds short enough that a lost worker is noticed within a scenario: leases of 10 s, a lapsed lease
 * failed after 30 s, the reaper every 2 s. The stage-1 replicas halt on jobs of the poison pack.
 */
final class ChaosStack {
    static final int STAGE1_REPLICAS = 2;
    static final int STAGE1_JOBS_AT_ONCE = 2;
    static final int LEASE_SECONDS = 10;
    static final int LEASE_GRACE_SECONDS = 30;
    static final int QUEUE_TIMEOUT_MINUTES = 15;

    private ChaosStack() {}

    static LocalStack.Options options(Path root, Path data) {
        Map<String, Map<String, String>> modules = new HashMap<>();
        for (String worker : LocalStack.WORKERS) {
            modules.put(
                    worker, new HashMap<>(Map.of("campanile.worker.lease-seconds", Integer.toString(LEASE_SECONDS))));
        }
        modules.get("stage1-worker").put("campanile.worker.chaos-halt-model", JobBodies.POISON_PACK);
        // Each stage-1 replica runs two jobs at once with their steps merged (ADR 0022), so every fault also hits
        // work slots: records of one partition in flight together, commits held below the oldest, hand-backs.
        modules.get("stage1-worker").put("campanile.worker.concurrent-jobs", Integer.toString(STAGE1_JOBS_AT_ONCE));
        // the campaign's bursts (kill-gateway submits 200 jobs at once) come from one tenant: its quotas (ADR 0016,
        // tested in the gateway) would answer 429 where the campaign tests faults
        modules.put(
                "gateway",
                Map.of(
                        "campanile.gateway.lease-grace-seconds",
                        Integer.toString(LEASE_GRACE_SECONDS),
                        "campanile.gateway.reaper-interval-seconds",
                        "2",
                        "campanile.gateway.queue-timeout-minutes",
                        Integer.toString(QUEUE_TIMEOUT_MINUTES),
                        "campanile.gateway.limits.jobs-in-flight",
                        "100000",
                        "campanile.gateway.limits.submissions-per-minute",
                        "100000"));
        return new LocalStack.Options(root, data, false, false, STAGE1_REPLICAS, true, Map.of(), modules);
    }

    /** Prepares the packs (the poison pack beside the test packs) and starts the stack. */
    static LocalStack start(Path root, Path data) throws Exception {
        PoisonPack.install(data.resolve("packs"));
        return new LocalStack(options(root, data)).start();
    }
}
