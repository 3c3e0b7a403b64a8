package io.campanile.gateway.api.live;

import io.campanile.gateway.api.JobView;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;

/**
 * What a replica keeps of one job for its live streams, guarded by the {@link LiveHub}: the newest version it heard
 * of, the view it last rendered, the events since (bounded, for {@code Last-Event-ID}), the latest preview and the
 * streams that follow the job.
 */
final class JobLog {
    /** The newest version announced on job-updates (the view may lag while nobody watches). */
    long knownVersion;
    /** The previews given an id at {@link #knownVersion}. */
    int previewsAtVersion;

    /** The job's tenant, once read (with its first view): {@code /v1/events} sends a job's changes to it only. */
    String tenant;

    JobView view;
    LiveEvent preview;
    byte[] previewPng;
    final List<JobStream> streams = new ArrayList<>();
    private final Deque<LiveEvent> buffer = new ArrayDeque<>();
    private final int capacity;

    JobLog(int capacity) {
        this.capacity = capacity;
    }

    /** Whether changes of the job are rendered: a stream follows it, or one did and may resume. */
    boolean watched() {
        return !streams.isEmpty() || !buffer.isEmpty();
    }

    void heard(long version) {
        if (version > knownVersion) {
            knownVersion = version;
            previewsAtVersion = 0;
        }
    }

    /** Keeps the event for resuming clients and sends it to every stream. */
    void publish(LiveEvent e) {
        buffer.addLast(e);
        if (buffer.size() > capacity) {
            buffer.removeFirst();
        }
        send(e);
    }

    /**
     * Sends to every stream, dropping the streams that closed. Over a copy: a terminal event completes a stream, and
     * its termination may remove it from {@link #streams} while this loop runs.
     */
    void send(LiveEvent e) {
        List<JobStream> closed = new ArrayList<>();
        for (JobStream s : List.copyOf(streams)) {
            if (!s.send(e)) {
                closed.add(s);
            }
        }
        streams.removeAll(closed);
    }

    /** Sends the buffered events after {@code lastEventId} to one stream. */
    void replay(long lastEventId, JobStream s) {
        for (LiveEvent e : buffer) {
            if (e.id() > lastEventId) {
                s.send(e);
            }
        }
    }

    /**
     * The events that turn {@code prev} into {@code next} (ids from {@code next}'s version, see {@link LiveEvent}):
     * progress when it moved, each new output, and the status when status, attempt, worker, outputs, warnings,
     * error or the cancel request changed (always when there is no {@code prev}).
     */
    static List<LiveEvent> changes(JobView prev, JobView next) {
        long base = next.version() * 100;
        List<LiveEvent> out = new ArrayList<>();
        if (next.progress() != null && (prev == null || !Objects.equals(prev.progress(), next.progress()))) {
            out.add(new LiveEvent(base + LiveEvent.PROGRESS, "progress", LiveData.progress(next.progress())));
        }
        if (prev != null) {
            int k = 0;
            for (JobView.OutputView o : next.outputs()) {
                if (!prev.outputs().contains(o) && k < LiveEvent.MAX_OUTPUTS) {
                    out.add(new LiveEvent(base + LiveEvent.OUTPUTS + k++, "output", o));
                }
            }
        }
        if (prev == null || statusChanged(prev, next)) {
            out.add(LiveEvent.status(next));
        }
        return out;
    }

    static boolean statusChanged(JobView a, JobView b) {
        return a.status() != b.status()
                || !Objects.equals(a.attempt(), b.attempt())
                || !Objects.equals(a.worker(), b.worker())
                || !a.outputs().equals(b.outputs())
                || !Objects.equals(a.warnings(), b.warnings())
                || !Objects.equals(a.error(), b.error())
                || a.cancelRequested() != b.cancelRequested();
    }
}
