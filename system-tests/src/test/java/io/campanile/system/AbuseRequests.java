package io.campanile.system;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * The abuse suite's request generator, deterministic for a seed. Every operation of the gateway's OpenAPI document
 * (read at {@code /q/openapi}) gets hostile path parameters, query parameters, methods and bodies; {@code POST
 * /v1/jobs} gets the mutated job requests of {@link HostileBodies} (the job types read at {@code /v1/job-types}), with
 * a few valid forward jobs and some hostile headers; the dashboard's pages and assets get traversal paths.
 */
final class AbuseRequests {
    static final String JOBS = "POST /v1/jobs";

    /** Path parameters: unknown ids, traversal, encodings, markup, very long. Percent-encoded where needed. */
    private static final List<String> IDS = List.of(
            "not-a-uuid",
            "..",
            "%2e%2e",
            "..%2F..%2F..%2Fetc%2Fpasswd",
            "%2F",
            "%00",
            "%E2%80%AE%F0%9F%98%80",
            "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
            "%27%20OR%201%3D1%20--",
            "-1",
            "1e9",
            "null",
            "00000000-0000-0000-0000-000000000000",
            "ffffffff-ffff-ffff-ffff-ffffffffffffff",
            "a".repeat(3000),
            "a".repeat(5000));

    private static final List<String> QUERY_VALUES = List.of(
            "-1",
            "0",
            "101",
            "1000000",
            "99999999999999999999",
            "abc",
            "1e3",
            "",
            "%00",
            "%E2%80%AE",
            "queued",
            "SUCCEEDED",
            "forward",
            "a".repeat(2000),
            "..%2F..%2F");

    private static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD");

    private final Random random;
    private final HostileBodies bodies;
    private final List<String[]> operations = new ArrayList<>();

    /**
     * @param openApi the gateway's OpenAPI document (JSON)
     * @param jobTypes {@code GET /v1/job-types}
     */
    AbuseRequests(long seed, JsonNode openApi, JsonNode jobTypes) {
        this.random = new Random(seed);
        this.bodies = new HostileBodies(random, jobTypes, HostileImages.small());
        for (Iterator<Map.Entry<String, JsonNode>> paths = openApi.get("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> p = paths.next();
            p.getValue().fieldNames().forEachRemaining(m -> {
                if (METHODS.contains(m.toUpperCase(Locale.ROOT))) {
                    operations.add(new String[] {m.toUpperCase(Locale.ROOT), p.getKey()});
                }
            });
        }
    }

    /** The operations of the OpenAPI document, as "METHOD /path/{param}". */
    List<String> operations() {
        return operations.stream().map(o -> o[0] + " " + o[1]).toList();
    }

    /** n requests: every operation at least once, then a mix weighted towards job submission. */
    List<Probe> generate(int n) {
        List<Probe> out = new ArrayList<>();
        for (String[] op : operations) {
            out.add(operation(op[0], op[1]));
        }
        for (int i = 0; i < 3; i++) { // a few large bodies: an image over its byte limit, a body over the server's
            String image = "A".repeat((20 << 20) + i);
            out.add(Probe.json(JOBS, "/v1/jobs", "{\"type\":\"forward\",\"image\":\"" + image + "\"}", false));
            out.add(Probe.json(
                    JOBS, "/v1/jobs", "{\"type\":\"forward\",\"zz\":\"" + "A".repeat(33 << 20) + "\"}", false));
        }
        while (out.size() < n) {
            int r = random.nextInt(100);
            if (r < 1) {
                out.add(Probe.json(JOBS, "/v1/jobs", bodies.validForward(), true));
            } else if (r < 45) {
                out.add(Probe.json(JOBS, "/v1/jobs", bodies.invalidJob(), false));
            } else if (r < 50) {
                out.add(hostileHeaders());
            } else if (r < 60) {
                out.add(bodies.tokenize());
            } else if (r < 64) { // a page of jobs with their outputs costs the most of the reads
                out.add(listing());
            } else if (r < 90) {
                String[] op = operations.get(random.nextInt(operations.size()));
                out.add(operation(op[0], op[1]));
            } else if (r < 95) {
                String[] op = operations.get(random.nextInt(operations.size()));
                out.add(Probe.of("* " + op[1], bodies.pick(METHODS), fill(op[1])));
            } else {
                out.add(dashboard());
            }
        }
        return out;
    }

    /** An operation with hostile path parameters, and a body of garbage where it takes one. */
    private Probe operation(String method, String template) {
        String endpoint = method + " " + template;
        if (endpoint.equals(JOBS)) {
            return Probe.json(JOBS, "/v1/jobs", bodies.invalidJob(), false);
        }
        if (endpoint.equals("POST /v1/tokenize")) {
            return bodies.tokenize();
        }
        String path = fill(template) + (random.nextBoolean() ? "" : "?" + param() + "=" + bodies.pick(QUERY_VALUES));
        if (method.equals("GET") || method.equals("DELETE")) {
            Map<String, String> headers = new LinkedHashMap<>();
            if (template.endsWith("/events")) {
                headers.put("Last-Event-ID", bodies.pick(List.of("-1", "abc", "99999999999999999999", "1e5", "")));
            }
            return new Probe(endpoint, method, path, headers, null, false);
        }
        return Probe.json(endpoint, path, bodies.pick(List.of("", "{}", "[]", "{\"name\":" + "[".repeat(60))), false);
    }

    /** {@code GET /v1/jobs} with hostile filters, limits and cursors. */
    private Probe listing() {
        StringBuilder q = new StringBuilder("/v1/jobs?");
        for (String name : List.of("status", "type", "cursor", "limit")) {
            if (random.nextInt(3) == 0) {
                q.append(name).append('=').append(name.equals("cursor") ? cursor() : bodies.pick(QUERY_VALUES));
                q.append('&');
            }
        }
        return Probe.of("GET /v1/jobs", "GET", q.toString());
    }

    /** A cursor: garbage, or well formed with a time or id out of range. */
    private String cursor() {
        String raw = switch (random.nextInt(4)) {
            case 0 -> "400000000000:0:" + UUID.randomUUID();
            case 1 -> "-99999999999:5:" + UUID.randomUUID();
            case 2 -> "1700000000:999999999999:" + UUID.randomUUID();
            default -> "1700000000:0:not-a-uuid:" + "x".repeat(random.nextInt(300));
        };
        return random.nextBoolean()
                ? Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8))
                : URLEncoder.encode(raw, StandardCharsets.UTF_8);
    }

    /**
     * A valid job body with a header that makes the request invalid (media type, idempotency key, origin). Not here:
     * an empty or blank key (HTTP strips the white space around a value; an empty key is no key) and a JSON media
     * type with another charset (the body is still UTF-8 JSON, and accepted).
     */
    private Probe hostileHeaders() {
        String[][] headers = {
            {"Content-Type", "text/plain"},
            {"Content-Type", "application/xml"},
            {"Content-Type", "application/x-www-form-urlencoded"},
            {"Content-Type", "application/octet-stream"},
            {"Idempotency-Key", "k".repeat(201 + random.nextInt(3000))},
            {"Origin", "https://evil.example"},
            {"Sec-Fetch-Site", "cross-site"}
        };
        String[] h = headers[random.nextInt(headers.length)];
        Map<String, String> all = new LinkedHashMap<>();
        all.put("Content-Type", "application/json");
        all.put(h[0], h[1]);
        return new Probe(JOBS, "POST", "/v1/jobs", all, bodies.validForward().getBytes(StandardCharsets.UTF_8), false);
    }

    /** The dashboard's pages and assets with traversal and markup. */
    private Probe dashboard() {
        String path = bodies.pick(List.of("/", "/jobs/", "/submit", "/workers", "/models", "/assets/"))
                + bodies.pick(IDS)
                + (random.nextBoolean() ? "" : "?type=%3Cscript%3E&status=" + bodies.pick(QUERY_VALUES));
        return Probe.of("GET (dashboard)", "GET", path);
    }

    private String fill(String template) {
        return template.replaceAll("\\{[^}/]+}", bodies.pick(idsAndUnknownUuid()));
    }

    private List<String> idsAndUnknownUuid() {
        List<String> ids = new ArrayList<>(IDS);
        ids.add(new UUID(random.nextLong(), random.nextLong()).toString());
        return ids;
    }

    private String param() {
        return bodies.pick(List.of("format", "limit", "cursor", "status", "type", "x", "%00", "a".repeat(500)));
    }
}
