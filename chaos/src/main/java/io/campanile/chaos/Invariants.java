package io.campanile.chaos;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The promises checked after every scenario, on the database rows and the job-events topic:
 * (a) every accepted job reaches exactly one terminal state within the bound; (b) at most one image per (job, role);
 * (c) a SUCCEEDED job's outputs are exactly its images in storage; (d) a job cancelled while queued has no images;
 * plus the scenario's own expectations. Consumer groups (e) are checked by {@link ConsumerGroups}.
 */
final class Invariants {
    private final Database db;
    private final Map<String, JobEvents.Summary> events;

    Invariants(Database db, Map<String, JobEvents.Summary> events) {
        this.db = db;
        this.events = events;
    }

    /** Checks the scenario's jobs, whose last rows are {@code rows}; {@code groups} holds what (e) found wrong. */
    ScenarioResult check(
            String scenario, Ledger ledger, Map<String, Database.JobRow> rows, Duration bound, List<String> groups)
            throws SQLException {
        Map<String, Instant> accepted = ledger.accepted();
        List<String> violations = new ArrayList<>(ledger.violations());
        Map<String, List<Database.Image>> stored = db.storedImages(accepted.keySet());
        Map<String, List<Database.Image>> outputs = db.jobOutputs(accepted.keySet());
        Map<String, Integer> failures = new TreeMap<>();
        int succeededOnce = 0;
        int cancelled = 0;
        int lost = 0;
        int late = 0;
        int duplicated = 0;
        int mostStarts = 0;
        Duration longest = Duration.ZERO;
        for (var e : accepted.entrySet()) {
            String id = e.getKey();
            Database.JobRow row = rows.get(id);
            JobEvents.Summary ev = events.getOrDefault(id, new JobEvents.Summary());
            mostStarts = Math.max(mostStarts, ev.mostStarts());
            if (row == null || !row.terminal()) {
                lost++;
                violations.add("(a) job " + id + " " + (row == null ? "never stored" : "still " + row.status())
                        + " after " + bound.toSeconds() + " s");
                continue;
            }
            Duration took = Duration.between(e.getValue(), row.finishedAt() != null ? row.finishedAt() : Instant.now());
            longest = took.compareTo(longest) > 0 ? took : longest;
            if (took.compareTo(bound) > 0) {
                late++;
                violations.add("(a) job " + id + " " + row.status() + " after " + took.toSeconds() + " s");
            }
            switch (row.status()) {
                case "SUCCEEDED" -> {
                    if (ev.terminalEvents("SUCCEEDED") > 1) {
                        duplicated++;
                        violations.add("job " + id + " succeeded " + ev.terminalEvents("SUCCEEDED") + " times");
                    } else {
                        succeededOnce++;
                    }
                    checkOutputs(
                            id, outputs.getOrDefault(id, List.of()), stored.getOrDefault(id, List.of()), violations);
                }
                case "FAILED" -> failures.merge(reason(row.error()), 1, Integer::sum);
                default -> cancelled++;
            }
            duplicated += checkOnePerRole(id, stored.getOrDefault(id, List.of()), violations);
        }
        for (String id : ledger.cancelledQueued()) {
            Database.JobRow row = rows.get(id);
            if (row != null && !row.status().equals("CANCELLED")) {
                violations.add("(d) job " + id + " cancelled while queued ended " + row.status());
            }
            if (!stored.getOrDefault(id, List.of()).isEmpty()) {
                violations.add("(d) job " + id + " cancelled while queued has "
                        + stored.get(id).size() + " images");
            }
        }
        ledger.expected().forEach((id, status) -> {
            Database.JobRow row = rows.get(id);
            if (row != null && row.terminal() && !row.status().equals(status)) {
                violations.add("job " + id + " expected " + status + ", ended " + row.status()
                        + (row.error() != null ? ": " + row.error() : ""));
            }
        });
        groups.forEach(g -> violations.add("(e) " + g));
        return new ScenarioResult(
                scenario,
                ledger.submitted(),
                accepted.size(),
                succeededOnce,
                failures,
                cancelled,
                lost,
                late,
                duplicated,
                longest,
                mostStarts,
                violations);
    }

    /** (b): storage's unique (job_id, role) makes this a guard against a schema change, not a likely finding. */
    private static int checkOnePerRole(String id, List<Database.Image> images, List<String> violations) {
        Set<String> roles = new HashSet<>();
        int extra = 0;
        for (Database.Image i : images) {
            if (!roles.add(i.role())) {
                extra++;
                violations.add("(b) job " + id + " has two images with role " + i.role());
            }
        }
        return extra;
    }

    /** (c) */
    private static void checkOutputs(
            String id, List<Database.Image> outputs, List<Database.Image> stored, List<String> violations) {
        Set<Database.Image> listed = new HashSet<>(outputs);
        Set<Database.Image> held = new HashSet<>(stored);
        if (!listed.equals(held)) {
            Set<Database.Image> missing = new HashSet<>(held);
            missing.removeAll(listed);
            Set<Database.Image> dangling = new HashSet<>(listed);
            dangling.removeAll(held);
            violations.add("(c) job " + id + ": " + missing.size() + " stored images not in its outputs, "
                    + dangling.size() + " outputs not in storage");
        }
    }

    /** A failure reason without the job-specific tail, so that equal reasons are counted together. */
    static String reason(String error) {
        if (error == null) {
            return "(no reason)";
        }
        String r = error.replaceAll("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<id>");
        return r.length() > 90 ? r.substring(0, 87) + "..." : r;
    }
}
