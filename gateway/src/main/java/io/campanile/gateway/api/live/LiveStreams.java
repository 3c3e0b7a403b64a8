package io.campanile.gateway.api.live;

import io.campanile.gateway.api.JobView;
import io.campanile.gateway.auth.Caller;
import io.smallrye.mutiny.Multi;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.util.UUID;

/**
 * Opens the event streams: takes a slot of {@link SseStreams} (503 when none is left, 429 when the caller's tenant
 * holds its share), subscribes to the
 * {@link LiveHub}, and gives both back when the stream ends, however it ends (completed, failed, client gone).
 */
@ApplicationScoped
public class LiveStreams {
    private final LiveHub hub;
    private final SseStreams slots;

    @Inject
    LiveStreams(LiveHub hub, SseStreams slots) {
        this.hub = hub;
        this.slots = slots;
    }

    /**
     * A job's stream, starting from {@code current} (just read) or resuming after {@code lastEventId}.
     *
     * @param caller who opens it (the caller has checked that the job is theirs to see)
     * @param jobTenant the job's tenant, which the hub keeps to scope {@code /v1/events}
     */
    public Multi<OutboundSseEvent> job(Caller caller, String jobTenant, JobView current, Long lastEventId, Sse sse) {
        UUID jobId = current.id();
        String tenant = caller.tenant();
        slots.acquire(tenant);
        return Multi.createFrom()
                .<LiveEvent>emitter(em -> {
                    JobStream s = new JobStream(em, lastEventId);
                    em.onTermination(() -> {
                        hub.close(jobId, s);
                        slots.release(tenant);
                    });
                    hub.open(jobId, jobTenant, current, lastEventId, s);
                })
                .map(e -> sse(sse, e));
    }

    /**
     * The stream of the changes of every job the caller may see; it starts with a comment, so that the client sees it
     * open at once.
     */
    public Multi<OutboundSseEvent> everyJob(Caller caller, Sse sse) {
        String tenant = caller.tenant();
        slots.acquire(tenant);
        return Multi.createFrom()
                .<LiveEvent>emitter(em -> {
                    em.onTermination(() -> {
                        hub.closeEveryJob(em);
                        slots.release(tenant);
                    });
                    em.emit(new LiveEvent(0, null, "every job's changes follow"));
                    hub.openEveryJob(em, caller);
                })
                .map(e -> sse(sse, e));
    }

    /** The SSE form of an event; one without a name is a comment. */
    private static OutboundSseEvent sse(Sse sse, LiveEvent e) {
        if (e.name() == null) {
            return sse.newEventBuilder().comment(String.valueOf(e.data())).build();
        }
        return sse.newEventBuilder()
                .id(Long.toString(e.id()))
                .name(e.name())
                .mediaType(MediaType.APPLICATION_JSON_TYPE)
                .data(e.data().getClass(), e.data())
                .build();
    }
}
