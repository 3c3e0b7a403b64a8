package io.campanile.gateway.api;

import io.campanile.gateway.api.live.LiveStreams;
import io.campanile.gateway.auth.CurrentCaller;
import io.smallrye.mutiny.Multi;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Every job's changes as Server-Sent Events, for a live jobs list: {@code job} (id, type, model, status, progress,
 * worker, created and updated times) on each change of a job's status, progress or worker, and {@code preview}
 * ({@code job_id}, {@code image}), of the caller's tenant's jobs (every tenant's for an admin key). No replay: a
 * client lists the jobs with {@code GET /v1/jobs}, then follows this.
 */
@Path("/v1/events")
public class EventsResource {
    private final LiveStreams streams;
    private final CurrentCaller caller;

    @Inject
    EventsResource(LiveStreams streams, CurrentCaller caller) {
        this.streams = streams;
        this.caller = caller;
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "Server-Sent Events of the tenant's jobs' changes (job, preview), for the jobs list")
    public Multi<OutboundSseEvent> events(@Context Sse sse) {
        return streams.everyJob(caller.get(), sse);
    }
}
