package io.campanile.deploy;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;

/** Findings of a check, reported all at once so that one run shows every drift. */
final class Problems {
    private final List<String> found = new ArrayList<>();

    void add(String problem) {
        found.add(problem);
    }

    void addAll(List<String> problems) {
        found.addAll(problems);
    }

    /** Records {@code problem} unless {@code ok}. */
    void check(boolean ok, String problem) {
        if (!ok) {
            found.add(problem);
        }
    }

    List<String> list() {
        return List.copyOf(found);
    }

    static void assertNone(List<String> problems) {
        if (!problems.isEmpty()) {
            fail(problems.size() + " problem(s):\n  - " + String.join("\n  - ", problems));
        }
    }
}
