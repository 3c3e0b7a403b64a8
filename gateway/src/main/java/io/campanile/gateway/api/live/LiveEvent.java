package io.campanile.gateway.api.live;

import io.campanile.gateway.api.JobView;

/**
 * One Server-Sent Event: its id, name ({@code status}, {@code progress}, {@code output}, {@code preview}, {@code job})
 * and the object sent as its JSON data.
 *
 * <p>The ids of a job's events come from the job's version, so that every replica gives an event the same id and a
 * client can resume on any of them: of version v (base = 100 v), progress is base + 1, new outputs base + 2 to
 * base + 9, the status base + 10, and the previews that arrive while the job is at v base + 11 to base + 99.
 */
public record LiveEvent(long id, String name, Object data) {
    static final int PROGRESS = 1;
    static final int OUTPUTS = 2;
    static final int MAX_OUTPUTS = 8;
    static final int STATUS = 10;
    static final int PREVIEWS = 11;
    static final int MAX_PREVIEWS = 89;

    /** The {@code status} event of a job view. */
    static LiveEvent status(JobView view) {
        return new LiveEvent(view.version() * 100 + STATUS, "status", view);
    }

    /** Whether this is a job's last event: a status in a terminal state. */
    public boolean terminal() {
        return data instanceof JobView v && v.status().isTerminal();
    }
}
