package io.campanile.chaos;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One scenario's row of the campaign's table.
 *
 * @param submitted submissions made (accepted or not)
 * @param accepted jobs the gateway accepted (answered 2xx with an id, or found in the database by idempotency key)
 * @param succeededOnce jobs SUCCEEDED with exactly one SUCCEEDED event on job-events
 * @param failures FAILED jobs by reason
 * @param cancelled CANCELLED jobs
 * @param lost accepted jobs not terminal when the scenario's bound ran out (or never stored)
 * @param pastBound jobs that reached a terminal state, but later than the bound after their submission
 * @param duplicated images beyond one per (job, role), plus jobs that succeeded more than once
 * @param longest the longest time from submission to a terminal state
 * @param mostStarts the most starts of one job by one stage
 * @param violations every broken invariant or expectation, readable
 */
record ScenarioResult(
        String scenario,
        int submitted,
        int accepted,
        int succeededOnce,
        Map<String, Integer> failures,
        int cancelled,
        int lost,
        int pastBound,
        int duplicated,
        Duration longest,
        int mostStarts,
        List<String> violations) {

    int failed() {
        return failures.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Whether the campaign fails on this scenario: lost or late jobs, duplicated outputs or broken invariants. */
    boolean broken() {
        return lost > 0 || pastBound > 0 || duplicated > 0 || !violations.isEmpty();
    }
}
