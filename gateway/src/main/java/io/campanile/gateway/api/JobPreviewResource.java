package io.campanile.gateway.api;

import io.campanile.gateway.api.live.LiveHub;
import io.campanile.gateway.auth.CurrentCaller;
import io.campanile.gateway.service.JobQueries;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The latest live preview of a job, held in memory by every replica (never stored); only for a job the caller may
 * see (the job is read first: another tenant's answers 404 like an unknown one).
 */
@Path("/v1/jobs/{id}/preview")
@Blocking
public class JobPreviewResource {
    private final LiveHub hub;
    private final JobQueries queries;
    private final CurrentCaller caller;

    @Inject
    JobPreviewResource(LiveHub hub, JobQueries queries, CurrentCaller caller) {
        this.hub = hub;
        this.queries = queries;
        this.caller = caller;
    }

    @GET
    @Produces("image/png")
    @Operation(summary = "The latest preview (PNG of the current x0-hat of the job's first image); 404 when none")
    public Response preview(@PathParam("id") String id) {
        UUID jobId = JobResource.parseId(id);
        queries.get(jobId, caller.get());
        byte[] png = hub.latestPreview(jobId);
        if (png == null) {
            throw ApiProblem.notFound("no preview of job " + id + " on this gateway (yet)");
        }
        return Response.ok(png, "image/png").header("Cache-Control", "no-store").build();
    }
}
