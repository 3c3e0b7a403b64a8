package io.campanile.platform;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.campanile.contracts.BlobRef;
import io.campanile.contracts.JobEventMessage;
import io.campanile.contracts.Json;
import io.campanile.contracts.StoredImage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Just enough of the storage service's internal API for worker tests, kept like storage keeps it: durable start counts
 * per consumer and job, content-addressed blobs, one image per (job, role). It can be taken down (every call a 503)
 * until a given time, as a storage restart would.
 */
final class FakeStorage implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-storage");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    /** Storage's limit on a final event (AttemptResource). */
    private static final int MAX_FINAL_EVENT = 65_536;

    private final Set<String> finished = ConcurrentHashMap.newKeySet();
    /** The final events recorded with finishes, by attempts path. */
    private final Map<String, String> finalEvents = new ConcurrentHashMap<>();

    private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
    private final Map<String, StoredImage> images = new ConcurrentHashMap<>();
    private final AtomicInteger refused = new AtomicInteger();
    private volatile long downUntilNanos;
    private volatile long attemptDelayMillis;
    private volatile long blobPutDelayMillis;
    /** When (nanoTime) the first blob read arrived, and when the last start was answered; 0 before. */
    private volatile long firstBlobReadNanos;

    private final AtomicInteger blobReads = new AtomicInteger();

    private volatile long attemptAnsweredNanos;

    FakeStorage() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::answer);
        // Requests are answered side by side, as storage does: a slow one (a start recorded under load) must not hold
        // up a read that came beside it.
        server.setExecutor(pool);
        server.start();
    }

    private void answer(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        byte[] in = exchange.getRequestBody().readAllBytes();
        byte[] body = new byte[0];
        int status = 200;
        if (System.nanoTime() < downUntilNanos) {
            refused.incrementAndGet();
            status = 503;
        } else if (path.startsWith("/internal/attempts/") && path.endsWith("/finished")) {
            String key = path.substring(0, path.length() - "/finished".length());
            if (in.length > MAX_FINAL_EVENT) {
                status = 400; // as storage refuses a final event past its limit
            } else {
                if (in.length > 0) {
                    finalEvents.putIfAbsent(key, new String(in, StandardCharsets.UTF_8)); // the first stays
                }
                finished.add(key);
                status = 204;
            }
        } else if (path.startsWith("/internal/blobs/")
                && exchange.getRequestMethod().equals("GET")) {
            if (firstBlobReadNanos == 0) {
                firstBlobReadNanos = System.nanoTime();
            }
            blobReads.incrementAndGet();
            body = blobs.get(path.substring("/internal/blobs/".length()));
            status = body == null ? 404 : 200;
            body = body == null ? new byte[0] : body;
        } else if (path.startsWith("/internal/attempts/")) {
            sleep(attemptDelayMillis);
            attemptAnsweredNanos = System.nanoTime();
            boolean done = finished.contains(path);
            AtomicInteger count = attempts.computeIfAbsent(path, k -> new AtomicInteger());
            int n = done ? count.get() : count.incrementAndGet();
            Map<String, Object> answer = new java.util.LinkedHashMap<>();
            answer.put("attempt", n);
            answer.put("finished", done);
            answer.put("finalEvent", done ? finalEvents.get(path) : null);
            body = Json.mapper().writeValueAsBytes(answer);
        } else if (path.equals("/internal/blobs")) {
            sleep(blobPutDelayMillis);
            String sha = BlobRef.of(in).sha256();
            blobs.put(sha, in);
            body = ("{\"sha256\":\"" + sha + "\",\"size\":" + in.length + "}").getBytes(StandardCharsets.UTF_8);
        } else if (path.equals("/internal/images")) {
            StoredImage i = Json.mapper().readValue(in, StoredImage.class);
            StoredImage stored =
                    images.computeIfAbsent(i.jobId() + "/" + i.role(), k -> i.registered(UUID.randomUUID(), null));
            body = Json.mapper().writeValueAsBytes(stored);
        } else {
            status = 404;
        }
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A blob, as the text encoder stores an embedding; its sha256. */
    String putBlob(byte[] bytes) {
        String sha = BlobRef.of(bytes).sha256();
        blobs.put(sha, bytes);
        return sha;
    }

    /** Recording a job's start takes this long (a storage under load). */
    void slowStarts(long millis) {
        attemptDelayMillis = millis;
    }

    /** Storing a blob takes this long (a storage under load). */
    void slowBlobPuts(long millis) {
        blobPutDelayMillis = millis;
    }

    /** Waits up to {@code millis} until at least {@code n} images are registered; whether they are. */
    boolean awaitImages(int n, long millis) {
        long end = System.nanoTime() + millis * 1_000_000;
        while (images.size() < n && System.nanoTime() < end) {
            sleep(10);
        }
        return images.size() >= n;
    }

    /** Blob reads answered so far. */
    int blobReads() {
        return blobReads.get();
    }

    long firstBlobReadNanos() {
        return firstBlobReadNanos;
    }

    long attemptAnsweredNanos() {
        return attemptAnsweredNanos;
    }

    /** Every call answers 503 for the next {@code millis}. */
    void downFor(long millis) {
        downUntilNanos = System.nanoTime() + millis * 1_000_000;
    }

    /** Records {@code n} earlier starts of the job by the consumer, as crashed workers would have. */
    void startedBefore(String consumer, UUID job, int n) {
        attempts.computeIfAbsent("/internal/attempts/" + consumer + "/" + job, k -> new AtomicInteger())
                .addAndGet(n);
    }

    /** Records that a worker of the consumer finished the job with this final event (and died before publishing it). */
    void finishedBefore(String consumer, UUID job, JobEventMessage finalEvent) {
        String key = "/internal/attempts/" + consumer + "/" + job;
        finalEvents.put(key, JsonProducer.toJson(finalEvent));
        finished.add(key);
    }

    /** Whether the consumer's finish of the job is recorded. */
    boolean isFinished(String consumer, UUID job) {
        return finished.contains("/internal/attempts/" + consumer + "/" + job);
    }

    /** The final event recorded with the consumer's finish of the job, or null. */
    JobEventMessage finalEvent(String consumer, UUID job) throws IOException {
        String json = finalEvents.get("/internal/attempts/" + consumer + "/" + job);
        return json == null ? null : Json.mapper().readValue(json, JobEventMessage.class);
    }

    int images() {
        return images.size();
    }

    int refused() {
        return refused.get();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
