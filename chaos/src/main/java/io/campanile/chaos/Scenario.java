package io.campanile.chaos;

import java.time.Duration;
import java.util.Map;

/**
 * One fault and the jobs it is injected into. {@link #run} submits its jobs through the gateway and injects the
 * fault; the campaign then restores the stack, waits for the jobs and checks the invariants; {@link #verify} adds the
 * scenario's own promises (e.g. the poison job fails after at most 3 starts).
 */
interface Scenario {
    /** The name on the command line and in the table. */
    String name();

    /** One line: the fault and the jobs. */
    String description();

    /** Whether CI runs it (the fast subset must stay under 10 minutes on two cores, stack start included). */
    default boolean fast() {
        return false;
    }

    /** How long after its submission each job may take to reach a terminal state. */
    default Duration bound() {
        return Duration.ofMinutes(5);
    }

    void run(Run run) throws Exception;

    /** Checks the scenario's own promises once its jobs have settled; breaches go to the run's ledger. */
    default void verify(Run run, Map<String, Database.JobRow> rows, Map<String, JobEvents.Summary> events) {}
}
