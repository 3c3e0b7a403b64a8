package io.campanile.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.campanile.bench.messaging.KafkaTimes;
import io.campanile.contracts.Topics;
import io.campanile.testkit.LocalStack;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./campanile bench queue [JOBS] [WARMUPS] [GAP_MS]}: the queue overhead a job pays before its first
 * denoising step, at steady state, with its path taken apart hop by hop.
 *
 * <p>Starts the whole system with the test packs, then submits 2-step CFG {@code sample} jobs on {@code
 * bench-if-stage1} one every GAP_MS (an open loop: submissions do not wait for the jobs), first WARMUPS of them to
 * warm every service's JIT, then JOBS measured ones. Every other measured job repeats one prompt (the text encoder's
 * cache answers it); the rest each bring a new prompt (encoded and stored). Per job it reads the worker's {@code
 * queued_ms} (submission to the stage-1 worker's start) and {@code first_step_ms} (submission to the first UNet call),
 * and from the Kafka records' timestamps the three hops: the gateway (its outbox relay to {@code
 * text-encode-requests}), the text encoder (to {@code stage1-requests}) and the stage-1 worker's take-up. The
 * reference, side by side: one bare Kafka hop on the same broker (a producer with the services' settings, a consumer
 * polling), which the path crosses twice.
 */
public final class QueueBenchmark {
    private static final String SAME_PROMPT = "a lithograph of waterfalls";

    private QueueBenchmark() {}

    public static void main(String[] args) throws Exception {
        int jobs = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int warmUps = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        long gapMs = args.length > 2 ? Long.parseLong(args[2]) : 1000;
        try (LocalStack stack = BenchJobs.startStack("", Map.of())) {
            String gateway = stack.gatewayUrl();
            String key = stack.apiKey();
            String bootstrap = stack.kafka().bootstrapServers();
            System.out.printf("warm-up: %d jobs, one every %d ms ...%n", warmUps, gapMs);
            awaitAll(gateway, key, submitEvery(gateway, key, warmUps, gapMs, 0));
            System.out.printf("measured: %d jobs, one every %d ms ...%n", jobs, gapMs);
            List<String> ids = submitEvery(gateway, key, jobs, gapMs, warmUps);
            List<JsonNode> ended = awaitAll(gateway, key, ids);
            Map<String, Long> toText = KafkaTimes.timestamps(bootstrap, Topics.TEXT_ENCODE_REQUESTS, ids);
            Map<String, Long> toStage1 = KafkaTimes.timestamps(bootstrap, Topics.STAGE1_REQUESTS, ids);
            double[] bareHop = KafkaTimes.bareHop(bootstrap, 200);
            print(ids, ended, toText, toStage1, bareHop, warmUps);
        }
    }

    /** Whether job {@code n} repeats one prompt (every other job); the others bring a new one each. */
    static boolean repeatsPrompt(long n) {
        return n % 2 == 1;
    }

    /** The {@code n}th job: a 2-step CFG sample (UNet calls at t = 990 and 0, batch 2). */
    static ObjectNode job(long n) {
        ObjectNode body = BenchJobs.benchSample(n);
        body.put("prompt", repeatsPrompt(n) ? SAME_PROMPT : SAME_PROMPT + ", take " + n);
        body.putArray("timesteps").add(990).add(0);
        return body;
    }

    /** Submits {@code count} jobs, one every {@code gapMs} from now (open loop); their ids. */
    private static List<String> submitEvery(String gateway, String key, int count, long gapMs, long firstN)
            throws Exception {
        List<String> ids = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long wait = t0 + TimeUnit.MILLISECONDS.toNanos(i * gapMs) - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            ids.add(BenchJobs.submit(gateway, key, job(firstN + i)));
        }
        return ids;
    }

    private static List<JsonNode> awaitAll(String gateway, String key, List<String> ids) throws Exception {
        ExecutorService waiters = Executors.newFixedThreadPool(4);
        try {
            List<Future<JsonNode>> futures = new ArrayList<>();
            for (String id : ids) {
                futures.add(waiters.submit(() -> BenchJobs.awaitSuccess(gateway, key, id, Duration.ofMillis(200))));
            }
            List<JsonNode> out = new ArrayList<>();
            for (Future<JsonNode> f : futures) {
                out.add(f.get(5, TimeUnit.MINUTES));
            }
            return out;
        } finally {
            waiters.shutdownNow();
        }
    }

    private static void print(
            List<String> ids,
            List<JsonNode> jobs,
            Map<String, Long> toText,
            Map<String, Long> toStage1,
            double[] bareHop,
            int firstN) {
        Map<String, List<Double>> same = new LinkedHashMap<>();
        Map<String, List<Double>> fresh = new LinkedHashMap<>();
        for (int i = 0; i < jobs.size(); i++) {
            String id = ids.get(i);
            JsonNode job = jobs.get(i);
            Map<String, List<Double>> into = repeatsPrompt(firstN + i) ? same : fresh;
            long created = BenchJobs.instant(job, "created_at").toEpochMilli();
            JsonNode t = job.get("timings");
            long queued = t.get("queued_ms").asLong();
            long firstStep = t.get("first_step_ms").asLong();
            add(into, "submit to the first denoising step (first_step_ms)", firstStep);
            add(into, "submit to the stage-1 start (queued_ms)", queued);
            Long text = toText.get(id);
            Long stage1 = toStage1.get(id);
            if (text != null && stage1 != null) {
                add(into, "  gateway: submit to text-encode-requests", text - created);
                add(into, "  text encoder: to stage1-requests", stage1 - text);
                add(into, "  stage-1 worker: record to its start", created + queued - stage1);
            }
            add(into, "  stage-1 worker: start to the first step", firstStep - queued);
            add(
                    into,
                    "the job's compute on the worker's slot (compute_ms)",
                    t.get("compute_ms").asLong());
        }
        System.out.println();
        System.out.printf(
                "queue overhead, 2-step CFG samples on bench-if-stage1 through the whole local stack, %d cores%n",
                Runtime.getRuntime().availableProcessors());
        System.out.printf("%-56s %8s %8s %8s %8s %8s%n", "ms (jobs)", "p50", "p90", "p99", "max", "n");
        for (var group : List.of(Map.entry("a new prompt each job", fresh), Map.entry("a repeated prompt", same))) {
            System.out.println(group.getKey() + ":");
            group.getValue().forEach((name, values) -> row(name, values));
        }
        List<Double> bare = new ArrayList<>();
        for (double v : bareHop) {
            bare.add(v);
        }
        System.out.println("reference, side by side:");
        row("one bare Kafka hop on the same broker (send to poll)", bare);
        List<Double> all = new ArrayList<>(fresh.get("submit to the first denoising step (first_step_ms)"));
        all.addAll(same.get("submit to the first denoising step (first_step_ms)"));
        double p50 = percentile(all, 0.50);
        double p99 = percentile(all, 0.99);
        System.out.printf(
                "all jobs: submit to the first step p50 %.0f ms (target <= 50), p99 %.0f ms (target <= 200);"
                        + " p50 over two bare Kafka hops: %.1fx%n",
                p50, p99, p50 / (2 * percentile(bare, 0.5)));
    }

    private static void add(Map<String, List<Double>> into, String name, double value) {
        into.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }

    private static void row(String name, List<Double> values) {
        System.out.printf(
                "%-56s %8.1f %8.1f %8.1f %8.1f %8d%n",
                name,
                percentile(values, 0.5),
                percentile(values, 0.9),
                percentile(values, 0.99),
                percentile(values, 1.0),
                values.size());
    }

    /** The nearest-rank percentile. */
    static double percentile(List<Double> values, double q) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int rank = (int) Math.ceil(q * v.length);
        return v[Math.max(0, Math.min(v.length - 1, rank - 1))];
    }
}
