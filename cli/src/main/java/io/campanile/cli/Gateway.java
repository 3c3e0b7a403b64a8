package io.campanile.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.campanile.contracts.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The gateway's public API over HTTP (java.net.http), as JSON trees. An answer other than 2xx becomes a
 * {@link CliException}: 4xx with the problem's title, detail and field ({@link CliException#USAGE}), 5xx and network
 * failures as {@link CliException#UNAVAILABLE}.
 */
final class Gateway {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private final URI base;
    private final HttpClient http;

    Gateway(String url) {
        String u = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        if (!u.matches("https?://.+")) {
            u = "http://" + u;
        }
        this.base = URI.create(u);
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1) // no h2c upgrade: plain requests and long event streams
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    String url() {
        return base.toString();
    }

    JsonNode get(String path) {
        return json(send(request(path).GET().build(), HttpResponse.BodyHandlers.ofByteArray()));
    }

    /** POSTs {@code body} as JSON (no body when null) and answers the JSON reply. */
    JsonNode post(String path, JsonNode body) {
        HttpRequest.BodyPublisher publisher;
        try {
            publisher = body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(Json.mapper().writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        HttpRequest.Builder req = request(path).POST(publisher);
        if (body != null) {
            req.header("Content-Type", "application/json");
        }
        return json(send(req.build(), HttpResponse.BodyHandlers.ofByteArray()));
    }

    /** DELETEs {@code path}; a 2xx answer carries nothing the caller needs. */
    void delete(String path) {
        send(request(path).DELETE().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** The bytes at {@code path} (an image URL of a job view, a job file). */
    byte[] download(String path) {
        return send(request(path).GET().build(), HttpResponse.BodyHandlers.ofByteArray())
                .body();
    }

    /**
     * Opens the event stream at {@code path} and hands its events to {@code handler} until it answers false or the
     * server closes the stream.
     *
     * @param lastEventId sent as {@code Last-Event-ID} to resume after it, or null
     * @return true when the handler stopped reading, false when the stream ended first
     */
    boolean events(String path, String lastEventId, Predicate<Sse.Event> handler) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).header("Accept", "text/event-stream");
        if (lastEventId != null) {
            b.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<InputStream> r = send(b.GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = r.body();
                Stream<String> lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines()) {
            Iterator<String> it = lines.iterator();
            return Sse.read(it, handler);
        } catch (IOException | UncheckedIOException e) {
            return false; // the stream broke: the caller looks at the job and reconnects
        }
    }

    /** {@code path} with the non-null query parameters appended. */
    static String query(String path, Map<String, Object> params) {
        StringJoiner q = new StringJoiner("&", path + "?", "").setEmptyValue(path);
        params.forEach((k, v) -> {
            if (v != null) {
                q.add(k + "=" + URLEncoder.encode(v.toString(), StandardCharsets.UTF_8));
            }
        });
        return q.toString();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT).header("Accept", "application/json, */*");
    }

    private <T> HttpResponse<T> send(HttpRequest req, HttpResponse.BodyHandler<T> body) {
        HttpResponse<T> r;
        try {
            r = http.send(req, body);
        } catch (ConnectException e) {
            throw new CliException(
                    CliException.UNAVAILABLE,
                    "cannot reach the gateway at " + base + " (is the stack up? --gateway URL or CAMPANILE_GATEWAY)",
                    e);
        } catch (IOException e) {
            throw new CliException(CliException.UNAVAILABLE, "gateway " + base + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(CliException.UNAVAILABLE, "interrupted", e);
        }
        if (r.statusCode() / 100 != 2) {
            throw problem(req, r.statusCode(), bodyText(r.body()));
        }
        return r;
    }

    private static String bodyText(Object body) {
        if (body instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        if (body instanceof InputStream in) {
            try (in) {
                return new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        }
        return "";
    }

    /** The answer as one line: "400 Invalid request: detail (field 'x')", from a problem+json body when there is one. */
    private static CliException problem(HttpRequest req, int status, String body) {
        String message = status + " from " + req.method() + " " + req.uri().getPath()
                + (body.isBlank() ? "" : ": " + body.strip());
        try {
            JsonNode p = Json.mapper().readTree(body);
            if (p != null && p.isObject() && p.has("detail")) {
                message = status + " " + p.path("title").asText("error") + ": "
                        + p.path("detail").asText("")
                        + (p.hasNonNull("field") ? " (field '" + p.get("field").asText() + "')" : "");
            }
        } catch (IOException e) {
            // not problem+json: the plain answer above
        }
        return new CliException(status >= 500 ? CliException.UNAVAILABLE : CliException.USAGE, message);
    }

    private static JsonNode json(HttpResponse<byte[]> r) {
        try {
            return Json.mapper().readTree(r.body());
        } catch (IOException e) {
            throw new CliException(CliException.UNAVAILABLE, "the gateway answered something that is not JSON", e);
        }
    }
}
