package io.campanile.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.campanile.testkit.LocalStack;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code ./campanile bench batch [JOBS]}: continuous batching (ADR 0022) against one job at a time, side by side.
 *
 * <p>Starts the whole system with the test packs twice, with one stage-1 worker each time: first running one job at a
 * time ({@code campanile.worker.concurrent-jobs=1}), then running up to JOBS at once with their steps merged
 * ({@code concurrent-jobs=JOBS}, {@code campanile.onnx.batch-rows=2*JOBS}). Each time it submits JOBS 34-step
 * classifier-free-guidance {@code sample} jobs on {@code bench-if-stage1} at once (after two warm-up jobs) and reads
 * their timestamps: throughput is the jobs over the time from the first submission to the last end, latency is each
 * job's submission to its end. The gateway's window for the stage-1 lane is JOBS in both runs, so the only difference
 * is the worker.
 */
public final class BatchBenchmark {
    private static final Map<String, String> EXTRA = new HashMap<>();

    private BatchBenchmark() {}

    public static void main(String[] args) throws Exception {
        int jobs = args.length > 0 ? Integer.parseInt(args[0]) : 16;
        for (int i = 1; i < args.length; i++) { // key=value: more settings of the stage-1 worker, in both runs
            String[] kv = args[i].split("=", 2);
            EXTRA.put(kv[0], kv[1]);
        }
        double[] alone = run(jobs, 1);
        double[] batched = run(jobs, jobs);
        System.out.println();
        System.out.printf(
                "%d concurrent 34-step CFG samples on bench-if-stage1 (batch 2 per job and step), one stage-1"
                        + " worker, %d cores%n",
                jobs, Runtime.getRuntime().availableProcessors());
        System.out.printf(
                "%-28s %12s %14s %14s %14s%n", "worker", "makespan s", "jobs/min", "latency p50 s", "latency max s");
        print("one job at a time", alone);
        print("batched (" + jobs + " at once)", batched);
        System.out.printf(
                "throughput batched / one at a time: %.2fx; median latency batched / one at a time: %.2fx%n",
                batched[1] / alone[1], batched[2] / alone[2]);
        System.out.printf(
                "one job at a time, jobs back to back: the worker's busy span over the jobs' UNet time %.3f (target"
                        + " <= 1.05: each job's outputs are stored while the next one computes)%n",
                alone[4]);
    }

    private static void print(String name, double[] r) {
        System.out.printf("%-28s %12.2f %14.1f %14.2f %14.2f%n", name, r[0], r[1], r[2], r[3]);
    }

    /**
     * One stack, JOBS jobs at once: {makespan s, jobs per minute, latency p50 s, latency max s, the worker's busy span
     * over the summed UNet time}.
     */
    private static double[] run(int jobs, int concurrent) throws Exception {
        Map<String, String> stage1 = new HashMap<>(Map.of(
                "campanile.worker.concurrent-jobs", String.valueOf(concurrent),
                "campanile.onnx.batch-rows", String.valueOf(Math.max(2, 2 * concurrent))));
        stage1.putAll(EXTRA);
        Map<String, Map<String, String>> modules = Map.of(
                "stage1-worker", stage1, "gateway", Map.of("campanile.gateway.dispatch.window", String.valueOf(jobs)));
        try (LocalStack stack =
                BenchJobs.startStack(", stage-1 worker running " + concurrent + " job(s) at once", modules)) {
            String gateway = stack.gatewayUrl();
            String key = stack.apiKey();
            for (int i = 0; i < 2; i++) {
                String id = BenchJobs.submit(gateway, key, BenchJobs.benchSample(i));
                BenchJobs.awaitSuccess(gateway, key, id, Duration.ofMillis(200));
            }
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < jobs; i++) {
                ids.add(BenchJobs.submit(gateway, key, BenchJobs.benchSample(1000 + i)));
            }
            ExecutorService waiters = Executors.newFixedThreadPool(4);
            try {
                List<Future<JsonNode>> ended = new ArrayList<>();
                for (String id : ids) {
                    ended.add(waiters.submit(() -> BenchJobs.awaitSuccess(gateway, key, id, Duration.ofMillis(500))));
                }
                Instant first = null;
                Instant last = null;
                Instant firstStart = null; // when the stage-1 worker started its first job (created_at + queued_ms)
                double[] latency = new double[jobs];
                double[] queue = new double[jobs];
                double[] running = new double[jobs];
                Map<String, Long> sums = new TreeMap<>();
                for (int i = 0; i < jobs; i++) {
                    JsonNode job = ended.get(i).get();
                    Instant created = BenchJobs.instant(job, "created_at");
                    Instant finished = BenchJobs.instant(job, "finished_at");
                    first = first == null || created.isBefore(first) ? created : first;
                    last = last == null || finished.isAfter(last) ? finished : last;
                    Instant started = created.plusMillis(
                            job.path("timings").path("queued_ms").asLong());
                    firstStart = firstStart == null || started.isBefore(firstStart) ? started : firstStart;
                    latency[i] = BenchJobs.seconds(job, "created_at", "finished_at");
                    queue[i] = BenchJobs.seconds(job, "created_at", "started_at");
                    running[i] = BenchJobs.seconds(job, "started_at", "finished_at");
                    job.get("timings")
                            .fields()
                            .forEachRemaining(
                                    e -> sums.merge(e.getKey(), e.getValue().asLong(), Long::sum));
                }
                Arrays.sort(latency);
                double makespan = Duration.between(first, last).toNanos() / 1e9;
                System.out.println("  timings summed over the jobs: " + sums);
                Arrays.sort(queue);
                Arrays.sort(running);
                System.out.printf(
                        "  %d jobs in %.2f s; per job: submit to start p50 %.2f s, max %.2f s; start to end p50 %.2f s,"
                                + " max %.2f s; jobs running at once on average %.1f%n",
                        jobs,
                        makespan,
                        queue[jobs / 2],
                        queue[jobs - 1],
                        running[jobs / 2],
                        running[jobs - 1],
                        Arrays.stream(running).sum() / makespan);
                double busy = Duration.between(firstStart, last).toNanos() / 1e9;
                System.out.printf(
                        "  the worker's busy span (its first start to the last end) %.2f s over the jobs' summed UNet"
                                + " time %.2f s: %.3f%n",
                        busy, sums.getOrDefault("unet_ms", 0L) / 1e3, busy * 1e3 / sums.getOrDefault("unet_ms", 1L));
                return new double[] {
                    makespan,
                    60 * jobs / makespan,
                    latency[jobs / 2],
                    latency[jobs - 1],
                    busy * 1e3 / sums.getOrDefault("unet_ms", 1L)
                };
            } finally {
                waiters.shutdownNow();
            }
        }
    }
}
