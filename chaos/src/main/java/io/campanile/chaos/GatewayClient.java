package io.campanile.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import io.campanile.contracts.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * The gateway's public API as a client sees it during faults: every call has a short timeout, and a refused or
 * failed call is an answer (empty), not an exception, because refusing work while a dependency is down is allowed.
 */
final class GatewayClient {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String base;
    private final String key;

    /** @param key the API key every call sends (the stack's admin key) */
    GatewayClient(String base, String key) {
        this.base = base;
        this.key = key;
    }

    /** What {@code POST /v1/jobs} answered: the job id when it accepted the job (2xx with an id). */
    record Submitted(int status, String id) {
        boolean accepted() {
            return status / 100 == 2 && id != null;
        }
    }

    /** Submits a job with an idempotency key, so a job the gateway stored but could not confirm is found later. */
    Submitted submit(String body, String idempotencyKey) {
        try {
            HttpResponse<String> r = HTTP.send(
                    HttpRequest.newBuilder(URI.create(base + "/v1/jobs"))
                            .timeout(Duration.ofSeconds(30))
                            .header("Authorization", "Bearer " + key)
                            .header("Content-Type", "application/json")
                            .header("Idempotency-Key", idempotencyKey)
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode json = r.statusCode() / 100 == 2 ? Json.mapper().readTree(r.body()) : null;
            return new Submitted(
                    r.statusCode(),
                    json != null && json.hasNonNull("id") ? json.get("id").asText() : null);
        } catch (IOException e) {
            return new Submitted(-1, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Submitted(-1, null);
        }
    }

    /** Asks to cancel a job; the answer's status is CANCELLED when the job was still queued. */
    Optional<JsonNode> cancel(String id) {
        return call(HttpRequest.newBuilder(URI.create(base + "/v1/jobs/" + id + "/cancel"))
                .POST(HttpRequest.BodyPublishers.noBody()));
    }

    /** The job view ({@code attempt}, {@code worker}, {@code status} ...), or empty when the gateway cannot answer. */
    Optional<JsonNode> job(String id) {
        return call(HttpRequest.newBuilder(URI.create(base + "/v1/jobs/" + id)).GET());
    }

    private Optional<JsonNode> call(HttpRequest.Builder request) {
        try {
            HttpResponse<String> r = HTTP.send(
                    request.timeout(Duration.ofSeconds(10))
                            .header("Authorization", "Bearer " + key)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() / 100 == 2 ? Optional.of(Json.mapper().readTree(r.body())) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
