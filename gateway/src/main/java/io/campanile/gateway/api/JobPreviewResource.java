package io.campanile.gateway.api;

import io.campanile.gateway.api.live.LiveHub;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The latest live preview of a job, held in memory by every replica (never stored). */
@Path("/v1/jobs/{id}/preview")
public class JobPreviewResource {
    private final LiveHub hub;

    @Inject
    JobPreviewResource(LiveHub hub) {
        this.hub = hub;
    }

    @GET
    @Produces("image/png")
    @Operation(summary = "The latest preview (PNG of the current x0-hat of the job's first image); 404 when none")
    public Response preview(@PathParam("id") String id) {
        byte[] png = hub.latestPreview(JobResource.parseId(id));
        if (png == null) {
            throw ApiProblem.notFound("no preview of job " + id + " on this gateway (yet)");
        }
        return Response.ok(png, "image/png").header("Cache-Control", "no-store").build();
    }
}
