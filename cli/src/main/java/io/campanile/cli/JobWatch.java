package io.campanile.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.campanile.contracts.Json;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Follows a job until it ends, over its event stream ({@code GET /v1/jobs/{id}/events}), and draws its progress.
 * It reads the named events ({@code status} with the job view, {@code progress}) and also unnamed messages holding
 * the job view. A stream that breaks before the end is resumed with {@code Last-Event-ID}; where the gateway refuses
 * the stream (503: too many open streams), the job is polled instead.
 */
final class JobWatch {
    private static final long POLL_MILLIS = 500;
    private final Gateway gateway;
    private final ProgressBar bar;

    JobWatch(Gateway gateway, ProgressBar bar) {
        this.gateway = gateway;
        this.bar = bar;
    }

    /** Blocks until the job is terminal and answers its final view. */
    JsonNode await(String id) {
        AtomicReference<JsonNode> last = new AtomicReference<>();
        AtomicReference<String> lastEventId = new AtomicReference<>();
        try {
            while (true) {
                boolean ended;
                try {
                    ended = gateway.events(Jobs.path(id, "events"), lastEventId.get(), e -> {
                        if (e.id() != null) {
                            lastEventId.set(e.id());
                        }
                        return handle(e, last);
                    });
                } catch (CliException e) {
                    if (e.exitCode() != CliException.UNAVAILABLE) {
                        throw e; // 404: no such job
                    }
                    return poll(id);
                }
                if (ended) {
                    return last.get();
                }
                JsonNode now = gateway.get(Jobs.path(id)); // the stream closed early: maybe the job just ended
                if (Jobs.isTerminal(now)) {
                    bar.job(now);
                    return now;
                }
                Thread.sleep(POLL_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(CliException.UNAVAILABLE, "interrupted", e);
        } finally {
            bar.done();
        }
    }

    /** Handles one event; false once the job is terminal. */
    private boolean handle(Sse.Event e, AtomicReference<JsonNode> last) {
        String name = e.name() == null ? "message" : e.name();
        JsonNode data;
        try {
            data = Json.mapper().readTree(e.data());
        } catch (IOException ex) {
            return true; // a keep-alive or something this CLI does not know
        }
        switch (name) {
            case "status", "message" -> {
                if (data.has("status")) {
                    last.set(data);
                    bar.job(data);
                    return !Jobs.isTerminal(data);
                }
            }
            case "progress" -> bar.progress(data);
            default -> {} // preview, output: nothing to draw on a terminal
        }
        return true;
    }

    private JsonNode poll(String id) throws InterruptedException {
        while (true) {
            JsonNode view = gateway.get(Jobs.path(id));
            bar.job(view);
            if (Jobs.isTerminal(view)) {
                return view;
            }
            Thread.sleep(POLL_MILLIS);
        }
    }
}
