package io.campanile.gateway.api.live;

import io.smallrye.mutiny.subscription.MultiEmitter;

/**
 * One client's stream of a job: sends events in increasing id order only (an event it already has, or an older
 * one, is skipped), and completes after the terminal status.
 */
final class JobStream {
    private final MultiEmitter<? super LiveEvent> emitter;
    private long lastSent = -1;
    private long lastStatus = -1;
    private boolean done;

    JobStream(MultiEmitter<? super LiveEvent> emitter, Long lastEventId) {
        this.emitter = emitter;
        if (lastEventId != null) {
            lastSent = lastEventId;
        }
    }

    /** Sends the event unless the client has it; false once the stream has ended. */
    boolean send(LiveEvent e) {
        if (done || emitter.isCancelled()) {
            done = true;
            return false;
        }
        if (e.id() <= lastSent) {
            return true;
        }
        lastSent = e.id();
        emit(e);
        return !done;
    }

    /**
     * Sends the job's current status unless this stream just sent it: a client that resumes gets it even when its
     * {@code Last-Event-ID} is past it (then as a repeat of that event, with its id).
     */
    void current(LiveEvent status) {
        if (done || status.id() == lastStatus) {
            return;
        }
        lastSent = Math.max(lastSent, status.id());
        emit(status);
    }

    private void emit(LiveEvent e) {
        if ("status".equals(e.name())) {
            lastStatus = e.id();
        }
        emitter.emit(e);
        if (e.terminal()) {
            done = true;
            emitter.complete();
        }
    }

    boolean done() {
        return done || emitter.isCancelled();
    }
}
