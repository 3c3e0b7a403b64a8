package io.campanile.system;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The abuse suite (issue 15): 10,000 generated malformed or hostile requests (seed 15) over every endpoint of the
 * gateway's OpenAPI document, the job types' fields, the dashboard and its assets, sent by 4 client threads to a real
 * stack. No answer may be a server error or take more than 5 s, and only the requests the generator meant to be valid
 * may create jobs (counted in the database before and after). The counts by endpoint and status are printed.
 * {@code -Dcampanile.abuse.requests=N} and {@code -Dcampanile.abuse.threads=T} size a run.
 */
@ExtendWith(Stack.Extension.class)
class AbuseTest {
    static final long SEED = 15;
    static final long SLOW_MS = 5_000;

    /** The key every request carries: the stack's admin key (ADR 0015). */
    static final Supplier<String> API_KEY = () -> Stack.get().apiKey();

    @Test
    void hostileRequestsGetNoServerErrorAreQuickAndCreateNoJob() throws Exception {
        int n = Integer.getInteger("campanile.abuse.requests", 10_000);
        int threads = Integer.getInteger("campanile.abuse.threads", 4);
        ObjectMapper json = new ObjectMapper();
        JsonNode openApi = json.readTree(
                given().queryParam("format", "json").get("/q/openapi").asString());
        JsonNode jobTypes = json.readTree(given().get("/v1/job-types").asString());
        AbuseRequests generator = new AbuseRequests(SEED, openApi, jobTypes);
        List<Probe> probes = generator.generate(n);
        AbuseClient client = new AbuseClient(Stack.get().gatewayUrl(), API_KEY);

        long jobsBefore = GatewayApiTest.jobCount();
        long t0 = System.nanoTime();
        List<AbuseClient.Answer> answers = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<AbuseClient.Answer>> futures = new ArrayList<>();
            for (Probe p : probes) {
                futures.add(pool.submit(() -> client.send(p)));
            }
            for (Future<AbuseClient.Answer> f : futures) {
                answers.add(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        long jobsAfter = GatewayApiTest.jobCount();
        report(answers, seconds);

        List<AbuseClient.Answer> serverErrors =
                answers.stream().filter(a -> a.status() >= 500).toList();
        List<AbuseClient.Answer> noAnswer = answers.stream()
                .filter(a -> a.status() < 0 && !AbuseClient.refusedByClosing(a))
                .toList();
        List<AbuseClient.Answer> slow =
                answers.stream().filter(a -> a.millis() > SLOW_MS).toList();
        List<AbuseClient.Answer> invalidAccepted = answers.stream()
                .filter(a -> a.status() == 202 && !a.probe().valid())
                .toList();
        long created = answers.stream().filter(AbuseClient.Answer::created).count();
        assertEquals(List.of(), describe(serverErrors), "answers >= 500");
        assertEquals(List.of(), describe(noAnswer), "requests without an answer");
        assertEquals(List.of(), describe(slow), "answers slower than " + SLOW_MS + " ms");
        assertEquals(List.of(), describe(invalidAccepted), "202 for requests meant to be invalid");
        assertEquals(created, jobsAfter - jobsBefore, "jobs created: only the accepted valid requests");
        assertTrue(generator.operations().size() >= 10, "the OpenAPI document lists " + generator.operations());
        cancelValidJobs(answers);
    }

    /** Counts by endpoint and status, the request rate and the slowest answers. */
    private static void report(List<AbuseClient.Answer> answers, double seconds) {
        Map<String, Map<Integer, Long>> counts = new TreeMap<>();
        Map<String, long[]> millis = new TreeMap<>(); // total, max
        for (AbuseClient.Answer a : answers) {
            counts.computeIfAbsent(a.probe().endpoint(), k -> new TreeMap<>()).merge(a.status(), 1L, Long::sum);
            long[] m = millis.computeIfAbsent(a.probe().endpoint(), k -> new long[2]);
            m[0] += a.millis();
            m[1] = Math.max(m[1], a.millis());
        }
        System.out.printf(
                "abuse suite: %d requests in %.1f s (%.0f/s), seed %d%n",
                answers.size(), seconds, answers.size() / seconds, SEED);
        counts.forEach((endpoint, byStatus) -> {
            long total = byStatus.values().stream().mapToLong(Long::longValue).sum();
            System.out.printf(
                    "  %-40s %-40s mean %4d ms, max %4d ms%n",
                    endpoint, byStatus, millis.get(endpoint)[0] / total, millis.get(endpoint)[1]);
        });
        Map<Integer, Long> total = answers.stream()
                .collect(Collectors.groupingBy(AbuseClient.Answer::status, TreeMap::new, Collectors.counting()));
        System.out.println("  all: " + total);
        answers.stream()
                .sorted((a, b) -> Long.compare(b.millis(), a.millis()))
                .limit(5)
                .forEach(a -> System.out.printf("  slowest: %d ms %s %d%n", a.millis(), label(a.probe()), a.status()));
    }

    private static List<String> describe(List<AbuseClient.Answer> answers) {
        return answers.stream()
                .limit(20)
                .map(a -> a.status() + " in " + a.millis() + " ms: " + label(a.probe())
                        + (a.error() == null ? "" : " (" + a.error() + ")"))
                .toList();
    }

    private static String label(Probe p) {
        String path = p.path().length() > 120 ? p.path().substring(0, 120) + "..." : p.path();
        String body = p.body() == null ? "" : " body " + new String(p.body(), 0, Math.min(160, p.body().length));
        return p.method() + " " + path + " " + p.headers().keySet() + body;
    }

    /** The valid jobs were only there to be accepted: cancel them so the stack's queues stay short. */
    private static void cancelValidJobs(List<AbuseClient.Answer> answers) {
        answers.stream()
                .filter(AbuseClient.Answer::created)
                .forEach(a -> given().post(a.location().replaceFirst("^https?://[^/]+", "") + "/cancel"));
    }
}
