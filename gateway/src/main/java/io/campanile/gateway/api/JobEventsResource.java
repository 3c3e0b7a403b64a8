package io.campanile.gateway.api;

import io.campanile.gateway.api.live.LiveStreams;
import io.campanile.gateway.auth.Caller;
import io.campanile.gateway.auth.CurrentCaller;
import io.campanile.gateway.service.JobQueries;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Server-Sent Events of a job (ADR 0013): named events {@code status} (the job view, first on connect and on every
 * change of status, attempt, worker, outputs, warnings or error), {@code progress}, {@code preview} and
 * {@code output}, with ids that increase per job; a client that reconnects with {@code Last-Event-ID} gets the
 * current status and the buffered events after that id. The stream ends after the terminal status. Events are pushed
 * by this replica's live hub; the job is read from the database once, when the stream opens.
 */
@Path("/v1/jobs/{id}/events")
public class JobEventsResource {
    private final JobQueries queries;
    private final LiveStreams streams;
    private final CurrentCaller caller;

    @Inject
    JobEventsResource(JobQueries queries, LiveStreams streams, CurrentCaller caller) {
        this.queries = queries;
        this.streams = streams;
        this.caller = caller;
    }

    @GET
    @Blocking
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(
            summary = "Server-Sent Events of a job: status, progress, preview and output; closes at a terminal state",
            description = "Resume with Last-Event-ID. 503 when the gateway's bound on open streams is reached, 429 when"
                    + " the tenant's (campanile.gateway.limits.sse-streams-per-tenant) is.")
    public Multi<OutboundSseEvent> events(
            @PathParam("id") String id, @HeaderParam("Last-Event-ID") String lastEventId, @Context Sse sse) {
        UUID jobId = JobResource.parseId(id);
        Caller c = caller.get();
        JobQueries.JobWithOutputs j = queries.get(jobId, c); // 404 before the stream opens, also for another tenant's
        return streams.job(c, j.job().tenant, JobView.of(j.job(), j.outputs()), parseEventId(lastEventId), sse);
    }

    /** The id a resuming client last received, or null; an id that is not ours starts the stream afresh. */
    private static Long parseEventId(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
