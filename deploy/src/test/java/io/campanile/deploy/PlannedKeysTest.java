package io.campanile.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The planned-keys allow-list stays an allow-list of keys that do not exist yet. */
class PlannedKeysTest {

    @Test
    void plannedEntriesAreNotYetInTheCode() {
        assertEquals(
                List.of(),
                landed(Codebase.load(Repo.root())),
                "these keys are in the code now: remove them from PlannedKeys");
    }

    /** Planned keys that a service's code declares by now, as "service: key". */
    static List<String> landed(Codebase code) {
        return landed(code, PlannedKeys.KEYS);
    }

    /** The same for a given allow-list. */
    static List<String> landed(Codebase code, Map<String, Set<String>> planned) {
        List<String> landed = new ArrayList<>();
        planned.forEach((service, keys) -> keys.stream()
                .sorted()
                .filter(k -> code.service(service).keys().contains(k))
                .forEach(k -> landed.add(service + ": " + k)));
        return landed;
    }

    @Test
    void plannedKeysBelongToServicesThatExist() {
        assertTrue(
                Topology.SERVICES.containsAll(PlannedKeys.KEYS.keySet()),
                PlannedKeys.KEYS.keySet().toString());
    }
}
