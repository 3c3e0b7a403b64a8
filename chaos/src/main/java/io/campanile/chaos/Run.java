package io.campanile.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import io.campanile.testkit.LocalStack;
import io.campanile.testkit.ServiceProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;

/** What a scenario works with: the stack, the gateway, its ledger, a seeded random source and a few waits. */
final class Run {
    private final String scenario;
    final LocalStack stack;
    final GatewayClient gateway;
    final Ledger ledger;
    final Random random;

    Run(String scenario, LocalStack stack, Ledger ledger, long seed) {
        this.scenario = scenario;
        this.stack = stack;
        this.gateway = new GatewayClient(stack.gatewayUrl(), stack.apiKey());
        this.ledger = ledger;
        this.random = new Random(seed);
    }

    /** Prints a step of the scenario, so that a reader of the output can match it with the services' logs. */
    void log(String what) {
        System.out.printf("chaos: %s: %s%n", scenario, what);
    }

    /** Submits one job; the id when accepted. */
    String submit(String body) {
        return ledger.submit(gateway, body);
    }

    /**
     * Submits {@code n} medium jobs (seeds from {@code seedBase}), each expected to SUCCEED, and waits until the first
     * runs: the moment an outage scenario takes a dependency away.
     */
    List<String> runningJobs(int n, int seedBase) throws Exception {
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            bodies.add(JobBodies.medium(seedBase + i));
        }
        List<String> ids = submitAll(bodies, 4);
        ids.forEach(id -> ledger.expect(id, "SUCCEEDED"));
        await(ids.get(0), j -> running(j) || terminal(j), Duration.ofMinutes(2));
        return ids;
    }

    /** Submits the jobs from {@code threads} threads at once and returns the accepted ids in submission order. */
    List<String> submitAll(List<String> bodies, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<String>> ids = new ArrayList<>();
            for (String body : bodies) {
                ids.add(pool.submit(() -> submit(body)));
            }
            List<String> accepted = new ArrayList<>();
            for (Future<String> id : ids) {
                if (id.get() != null) {
                    accepted.add(id.get());
                }
            }
            return accepted;
        } finally {
            pool.shutdown();
        }
    }

    /** Polls the job view until it satisfies {@code until}; empty when {@code atMost} passes first. */
    Optional<JsonNode> await(String id, Predicate<JsonNode> until, Duration atMost) throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<JsonNode> job = gateway.job(id);
            if (job.isPresent() && until.test(job.get())) {
                return job;
            }
            Thread.sleep(200);
        }
        return Optional.empty();
    }

    static boolean running(JsonNode job) {
        return job.path("status").asText().equals("RUNNING") && job.hasNonNull("worker");
    }

    static boolean terminal(JsonNode job) {
        return Database.TERMINAL.contains(job.path("status").asText());
    }

    /** The stage-1 replicas. */
    List<ServiceProcess> stage1() {
        return stack.services().stream()
                .filter(s -> s.name().startsWith("stage1-worker-"))
                .toList();
    }

    static void sleep(Duration d) throws InterruptedException {
        Thread.sleep(Math.max(0, d.toMillis()));
    }
}
