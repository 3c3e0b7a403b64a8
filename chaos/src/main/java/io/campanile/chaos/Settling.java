package io.campanile.chaos;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The wait after a scenario: first the submissions the gateway never confirmed are looked up by idempotency key
 * (stored jobs count as accepted), then every accepted job is given until its own bound (submission + bound) to reach
 * a terminal state. The database may still be coming back, so a failed read is retried, not fatal.
 */
final class Settling {
    private final Database db;

    Settling(Database db) {
        this.db = db;
    }

    /** Returns the jobs' last rows read; a job missing or not terminal in it is lost. */
    Map<String, Database.JobRow> settle(Ledger ledger, Duration bound) throws InterruptedException {
        resolveUnconfirmed(ledger);
        Map<String, Instant> accepted = ledger.accepted();
        Instant giveUpAt = accepted.values().stream()
                .max(Instant::compareTo)
                .orElse(Instant.now())
                .plus(bound);
        Map<String, Database.JobRow> rows = Map.of();
        while (true) {
            try {
                rows = db.jobs(accepted.keySet());
                if (rows.size() == accepted.size() && rows.values().stream().allMatch(Database.JobRow::terminal)) {
                    return rows;
                }
            } catch (SQLException e) {
                // PostgreSQL is restarting: read again
            }
            if (Instant.now().isAfter(giveUpAt)) {
                return rows;
            }
            Thread.sleep(1000);
        }
    }

    private void resolveUnconfirmed(Ledger ledger) throws InterruptedException {
        Map<String, Instant> unconfirmed = ledger.unconfirmed();
        if (unconfirmed.isEmpty()) {
            return;
        }
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (true) {
            try {
                db.idsByKey(unconfirmed.keySet()).forEach(ledger::acceptedLate);
                return;
            } catch (SQLException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("cannot read the jobs table: " + e.getMessage(), e);
                }
                Thread.sleep(1000);
            }
        }
    }
}
