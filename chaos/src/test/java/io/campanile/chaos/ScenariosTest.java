package io.campanile.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The scenario names the README and {@code ./campanile chaos} promise, and the CI subset. */
class ScenariosTest {

    @Test
    void everyScenarioOfTheIssueIsThereByName() {
        assertEquals(
                List.of(
                        "kill-stage1",
                        "sigterm-stage1",
                        "kill-gateway",
                        "kill-storage",
                        "kafka-30s",
                        "kafka-90s",
                        "postgres-30s",
                        "postgres-6m",
                        "poison",
                        "long-job",
                        "trainer-kill"),
                Scenarios.all(false).stream().map(Scenario::name).toList());
    }

    @Test
    void theFastSubsetIsWhatCiRuns() {
        assertEquals(
                List.of("kill-stage1", "sigterm-stage1", "kill-storage", "kafka-30s", "postgres-30s", "poison"),
                Scenarios.fast().stream().map(Scenario::name).toList());
    }

    @Test
    void namedScenariosRunInCampaignOrderAndUnknownNamesAreRefused() {
        assertEquals(
                List.of("kafka-30s", "poison"),
                Scenarios.named(List.of("poison", "kafka-30s")).stream()
                        .map(Scenario::name)
                        .toList());
        assertThrows(IllegalArgumentException.class, () -> Scenarios.named(List.of("meteor")));
    }

    @Test
    void timestepsAreStrictlyDecreasingFrom999To0() {
        var t = JobBodies.steps(34);
        assertEquals(34, t.size());
        assertEquals(999, t.get(0).asInt());
        assertEquals(0, t.get(33).asInt());
        for (int i = 1; i < t.size(); i++) {
            assertEquals(true, t.get(i).asInt() < t.get(i - 1).asInt());
        }
    }
}
