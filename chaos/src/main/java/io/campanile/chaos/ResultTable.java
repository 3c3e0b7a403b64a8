package io.campanile.chaos;

import java.io.PrintStream;
import java.util.List;

/** The campaign's table: one row per scenario, then under it the failure reasons and every violation. */
final class ResultTable {
    private static final String ROW = "%-15s %9s %8s %9s %6s %9s %4s %10s %10s %8s %6s  %s%n";

    private ResultTable() {}

    static void print(List<ScenarioResult> results, PrintStream out) {
        out.printf(
                ROW,
                "scenario",
                "submitted",
                "accepted",
                "succeeded",
                "failed",
                "cancelled",
                "lost",
                "past-bound",
                "duplicated",
                "longest",
                "starts",
                "invariants");
        out.printf(ROW, "", "", "", "once", "", "", "", "", "", "", "(max)", "");
        for (ScenarioResult r : results) {
            out.printf(
                    ROW,
                    r.scenario(),
                    r.submitted(),
                    r.accepted(),
                    r.succeededOnce(),
                    r.failed(),
                    r.cancelled(),
                    r.lost(),
                    r.pastBound(),
                    r.duplicated(),
                    r.longest().toSeconds() + " s",
                    r.mostStarts(),
                    r.violations().isEmpty() ? "OK" : r.violations().size() + " violations");
        }
        for (ScenarioResult r : results) {
            if (r.failures().isEmpty() && r.violations().isEmpty()) {
                continue;
            }
            out.println();
            out.println(r.scenario() + ":");
            r.failures().forEach((reason, n) -> out.printf("  failed x%d: %s%n", n, reason));
            r.violations().stream().limit(20).forEach(v -> out.println("  violation: " + v));
            if (r.violations().size() > 20) {
                out.println("  ... and " + (r.violations().size() - 20) + " more violations");
            }
        }
    }
}
