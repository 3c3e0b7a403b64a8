package io.campanile.chaos;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ./campanile chaos [--fast] [scenario...]}: starts a fresh local stack (throw-away data, free ports, test
 * packs, two stage-1 replicas, short leases), runs the scenarios (all of them, the named ones, or with
 * {@code --fast} the CI subset), checks the invariants after each, prints one row per scenario and exits 1 when any
 * scenario lost a job, let one run past its bound, duplicated an output or broke an invariant. {@code --list} prints
 * the scenarios.
 */
public final class ChaosMain {
    private ChaosMain() {}

    public static void main(String[] args) throws Exception {
        boolean fast = false;
        List<String> names = new ArrayList<>();
        for (String a : args) {
            switch (a) {
                case "--fast" -> fast = true;
                case "--list" -> {
                    Scenarios.all(false)
                            .forEach(s -> System.out.printf(
                                    "%-15s %s%s%n", s.name(), s.description(), s.fast() ? " [fast]" : ""));
                    return;
                }
                default -> names.add(a);
            }
        }
        List<Scenario> scenarios =
                !names.isEmpty() ? Scenarios.named(names) : fast ? Scenarios.fast() : Scenarios.all(false);
        List<ScenarioResult> results = run(scenarios);
        System.out.println();
        ResultTable.print(results, System.out);
        System.exit(results.stream().anyMatch(ScenarioResult::broken) ? 1 : 0);
    }

    /** Runs the scenarios on one fresh stack under the temporary folder; see {@link #run(List, Path)}. */
    static List<ScenarioResult> run(List<Scenario> scenarios) throws Exception {
        return run(scenarios, Path.of(System.getProperty("java.io.tmpdir")));
    }

    /**
     * Runs the scenarios on one fresh stack whose data and logs go to a new folder under {@code parent} (the logs are
     * kept for a reader of a failed run), and returns their rows; the stack is stopped after.
     */
    static List<ScenarioResult> run(List<Scenario> scenarios, Path parent) throws Exception {
        Path root = Path.of(System.getProperty("campanile.root", "."))
                .toAbsolutePath()
                .normalize();
        Path data = Files.createTempDirectory(Files.createDirectories(parent), "campanile-chaos-");
        System.out.println("chaos: starting the stack (data and logs in " + data + ") ...");
        List<ScenarioResult> results = new ArrayList<>();
        try (Campaign campaign = Campaign.start(root, data)) {
            for (Scenario s : scenarios) {
                results.add(campaign.run(s));
            }
        }
        return results;
    }
}
