package io.campanile.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The CI subset of {@code ./campanile chaos} ({@code --fast}) on real processes: no lost jobs, none past its bound,
 * no duplicated outputs and no broken invariant in any scenario. The services' logs stay in
 * a new {@code target/chaos/campanile-chaos-<random>} folder.
 */
class ChaosFastIT {

    @Test
    void theFastScenariosKeepEveryPromise() throws Exception {
        List<ScenarioResult> results = ChaosMain.run(Scenarios.fast(), Path.of("target", "chaos"));
        ByteArrayOutputStream table = new ByteArrayOutputStream();
        ResultTable.print(results, new PrintStream(table, true, StandardCharsets.UTF_8));
        String printed = table.toString(StandardCharsets.UTF_8);
        System.out.println(printed);
        assertEquals(Scenarios.fast().size(), results.size());
        for (ScenarioResult r : results) {
            assertEquals(0, r.lost(), r.scenario() + " lost jobs\n" + printed);
            assertEquals(0, r.pastBound(), r.scenario() + " jobs past the bound\n" + printed);
            assertEquals(0, r.duplicated(), r.scenario() + " duplicated outputs\n" + printed);
            assertTrue(r.violations().isEmpty(), r.scenario() + " broke invariants\n" + printed);
        }
    }
}
