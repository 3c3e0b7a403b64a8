package io.campanile.contracts.jobs;

/** An enum field of a job request: its constants travel as their wire names, which the API lists as choices. */
public interface Choice {
    /** The name used in JSON. */
    String wireName();
}
