package io.campanile.gateway.api;

import io.campanile.gateway.api.live.LiveStreams;
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
 * ({@code job_id}, {@code image}). No replay: a client lists the jobs with {@code GET /v1/jobs}, then follows this.
 */
@Path("/v1/events")
public class EventsResource {
    private final LiveStreams streams;

    @Inject
    EventsResource(LiveStreams streams) {
        this.streams = streams;
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "Server-Sent Events of every job's changes (job, preview), for the jobs list")
    public Multi<OutboundSseEvent> events(@Context Sse sse) {
        return streams.everyJob(sse);
    }
}
