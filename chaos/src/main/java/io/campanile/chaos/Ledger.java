package io.campanile.chaos;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What a scenario did, written as it goes (from several threads): the jobs it submitted and when, which the gateway
 * accepted, which it cancelled while they were queued, what outcome it expects of some jobs, and the breaches of
 * its own promises it saw. The checks after the scenario read it.
 */
final class Ledger {
    private final Map<String, Instant> accepted = new LinkedHashMap<>();
    private final Map<String, Instant> unconfirmed = new LinkedHashMap<>();
    private final Set<String> cancelledQueued = new LinkedHashSet<>();
    private final Map<String, String> expected = new LinkedHashMap<>();
    private final List<String> violations = new ArrayList<>();
    private int submitted;
    private int acceptedLate;

    /**
     * Submits one job and records the answer. A submission the gateway did not confirm (refused, timed out, cut by
     * a crash) is kept by its idempotency key: if the gateway stored it anyway, it is an accepted job too.
     *
     * @return the job id when accepted
     */
    String submit(GatewayClient gateway, String body) {
        return submitRetrying(gateway, body, Duration.ZERO);
    }

    /**
     * Submits one job, retrying with the same idempotency key while the gateway cannot answer (no connection, or
     * 5xx) for up to {@code retryFor}: the retry of a request whose answer was lost must not make a second job.
     *
     * @return the job id when accepted
     */
    String submitRetrying(GatewayClient gateway, String body, Duration retryFor) {
        String key = "chaos-" + UUID.randomUUID();
        Instant at = Instant.now();
        long deadline = System.nanoTime() + retryFor.toNanos();
        GatewayClient.Submitted s = gateway.submit(body, key);
        while ((s.status() < 0 || s.status() >= 500) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            s = gateway.submit(body, key);
        }
        synchronized (this) {
            submitted++;
            if (s.accepted()) {
                accepted.put(s.id(), at);
            } else {
                unconfirmed.put(key, at);
            }
        }
        return s.accepted() ? s.id() : null;
    }

    /** A job found in the database by the key of a submission the gateway never confirmed. */
    synchronized void acceptedLate(String key, String id) {
        Instant at = unconfirmed.remove(key);
        if (at != null) {
            accepted.put(id, at);
            acceptedLate++;
        }
    }

    /** How many accepted jobs were found by key rather than confirmed by the gateway. */
    synchronized int acceptedLate() {
        return acceptedLate;
    }

    synchronized void cancelledWhileQueued(String id) {
        cancelledQueued.add(id);
    }

    /** The job must end in this status (else a violation). */
    synchronized void expect(String id, String status) {
        expected.put(id, status);
    }

    synchronized void violation(String what) {
        violations.add(what);
    }

    synchronized int submitted() {
        return submitted;
    }

    synchronized Map<String, Instant> accepted() {
        return new LinkedHashMap<>(accepted);
    }

    synchronized Map<String, Instant> unconfirmed() {
        return new LinkedHashMap<>(unconfirmed);
    }

    synchronized Set<String> cancelledQueued() {
        return new LinkedHashSet<>(cancelledQueued);
    }

    synchronized Map<String, String> expected() {
        return new LinkedHashMap<>(expected);
    }

    synchronized List<String> violations() {
        return new ArrayList<>(violations);
    }
}
