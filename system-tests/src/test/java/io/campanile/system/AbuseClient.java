package io.campanile.system;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Sends the abuse suite's requests, each through {@link #send}, which adds the API key when there is one
 * ({@code Authorization: Bearer <key>}). An event stream is read up to its headers and closed.
 */
final class AbuseClient {
    /**
     * What a request got.
     *
     * @param status the HTTP status, or -1 when the request failed without an answer
     * @param millis from sending to the full answer (for a stream: its headers)
     * @param created whether it created a job: 202 from {@code POST /v1/jobs} that is not a replay
     * @param location the {@code Location} of a created job, else null
     * @param error the client's exception, when there was no answer
     */
    record Answer(Probe probe, int status, long millis, boolean created, String location, String error) {}

    /** Past these the server answers 414 or 413 and closes the connection (RFC 9112 allows it). */
    private static final int CLOSING_PATH = 4096;

    private static final long CLOSING_BODY = 32L << 20;

    private final HttpClient http = client();
    private final String base;
    private final Supplier<String> apiKey;

    /**
     * @param base the gateway's URL
     * @param apiKey the key every request carries, or a supplier of null while the API has no keys
     */
    AbuseClient(String base, Supplier<String> apiKey) {
        this.base = base;
        this.apiKey = apiKey;
    }

    /**
     * Whether the server refused the request by closing its connection before the client could read the answer. For
     * a request past the limits the server answers 413 or 414 and closes at once, while the client may still be
     * sending (a 33 MB body): the close can then reach the client before the answer does, and the answer is lost in
     * transport. Such a refusal still has to come within the time bound.
     */
    static boolean refusedByClosing(Answer a) {
        Probe p = a.probe();
        boolean pastLimits = p.path().length() > CLOSING_PATH || (p.body() != null && p.body().length > CLOSING_BODY);
        return pastLimits
                && a.status() < 0
                && a.error() != null
                && !a.error().startsWith("java.lang."); // an I/O failure
    }

    private static HttpClient client() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    Answer send(Probe p) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + p.path()))
                .timeout(Duration.ofSeconds(30))
                .method(
                        p.method(),
                        p.body() == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(p.body()));
        p.headers().forEach(b::header);
        String key = apiKey.get();
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        long t0 = System.nanoTime();
        try {
            // A request the server answers by closing its connection, and an event stream (closed after its headers),
            // go on a connection of their own, so that the pool never hands such a connection to the next request.
            boolean closes = p.stream()
                    || p.path().length() > CLOSING_PATH
                    || (p.body() != null && p.body().length > CLOSING_BODY);
            HttpResponse<InputStream> r =
                    (closes ? client() : http).send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = r.body()) {
                if (!p.stream() || r.statusCode() != 200) {
                    in.readAllBytes();
                }
            }
            long millis = (System.nanoTime() - t0) / 1_000_000;
            boolean created = r.statusCode() == 202
                    && p.endpoint().equals(AbuseRequests.JOBS)
                    && !r.headers()
                            .firstValue("Idempotent-Replayed")
                            .orElse("false")
                            .equals("true");
            return new Answer(
                    p,
                    r.statusCode(),
                    millis,
                    created,
                    r.headers().firstValue("Location").orElse(null),
                    null);
        } catch (IOException | IllegalArgumentException e) {
            return new Answer(p, -1, (System.nanoTime() - t0) / 1_000_000, false, null, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(p, -1, (System.nanoTime() - t0) / 1_000_000, false, null, e.toString());
        }
    }
}
