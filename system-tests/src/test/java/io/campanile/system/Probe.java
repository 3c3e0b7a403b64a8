package io.campanile.system;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One request of the abuse suite.
 *
 * @param endpoint what the counts are grouped by: the method and the path template ({@code POST /v1/jobs})
 * @param method the HTTP method
 * @param path the path and query, already percent-encoded
 * @param headers extra headers
 * @param body the body, or null for none
 * @param valid whether the generator meant the request to be valid: only such a request may create a job
 */
record Probe(String endpoint, String method, String path, Map<String, String> headers, byte[] body, boolean valid) {
    static Probe of(String endpoint, String method, String path) {
        return new Probe(endpoint, method, path, Map.of(), null, false);
    }

    static Probe json(String endpoint, String path, String body, boolean valid) {
        return new Probe(
                endpoint,
                "POST",
                path,
                Map.of("Content-Type", "application/json"),
                body.getBytes(StandardCharsets.UTF_8),
                valid);
    }

    /** Whether the answer is an event stream, read only up to its headers. */
    boolean stream() {
        return endpoint.endsWith("/events");
    }
}
