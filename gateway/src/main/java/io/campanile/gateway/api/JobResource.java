package io.campanile.gateway.api;

import io.campanile.contracts.JobStatus;
import io.campanile.contracts.JobType;
import io.campanile.gateway.auth.CurrentCaller;
import io.campanile.gateway.config.GatewayConfig;
import io.campanile.gateway.service.JobCancellation;
import io.campanile.gateway.service.JobDeletion;
import io.campanile.gateway.service.JobQueries;
import io.campanile.gateway.service.JobSubmission;
import io.campanile.platform.StorageClient;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.jboss.logging.Logger;

/** The public jobs API. */
@Path("/v1/jobs")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class JobResource {
    private static final Logger LOG = Logger.getLogger(JobResource.class);
    private final JobSubmission submission;
    private final JobQueries queries;
    private final JobCancellation cancellation;
    private final JobDeletion deletion;
    private final GatewayConfig config;
    private final JobFilesResource files;
    private final CurrentCaller caller;

    @Inject
    JobResource(
            JobSubmission submission,
            JobQueries queries,
            JobCancellation cancellation,
            JobDeletion deletion,
            GatewayConfig config,
            JobFilesResource files,
            CurrentCaller caller) {
        this.submission = submission;
        this.queries = queries;
        this.cancellation = cancellation;
        this.deletion = deletion;
        this.config = config;
        this.files = files;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Submit a job", description = "202 with the queued job; Idempotency-Key makes retries safe")
    @RequestBody(
            required = true,
            content =
                    @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = JobRequestSchemas.REQUEST)))
    public Response submit(String body, @HeaderParam("Idempotency-Key") String idempotencyKey) {
        JobSubmission.Accepted a = submission.submit(body, idempotencyKey, caller.get());
        JobQueries.JobWithOutputs j = queries.get(a.job().id, caller.get());
        return Response.status(Response.Status.ACCEPTED)
                .location(URI.create("/v1/jobs/" + a.job().id))
                .header("Idempotent-Replayed", a.replayed())
                .entity(JobView.of(j.job(), j.outputs()))
                .build();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "A job's status, progress, parameters and outputs")
    public JobView get(@PathParam("id") String id) {
        JobQueries.JobWithOutputs j = queries.get(parseId(id), caller.get());
        JobView view = JobView.of(j.job(), j.outputs());
        if (JobType.TRAIN.wireName().equals(j.job().type)) {
            try {
                view = view.withFiles(files.list(j.job().id));
            } catch (StorageClient.StorageUnavailableException e) {
                LOG.warnf("files of job %s not listed: %s", j.job().id, e.getMessage()); // the status still answers
            }
        }
        return view;
    }

    @GET
    @Operation(
            summary = "The tenant's jobs (every job for an admin key), newest first, filtered by status and type,"
                    + " keyset-paginated")
    public JobPage list(
            @QueryParam("status") String status,
            @QueryParam("type") String type,
            @QueryParam("cursor") String cursor,
            @QueryParam("limit") Integer limit) {
        int size = limit == null ? 20 : limit;
        if (size < 1 || size > config.maxPageSize()) {
            throw ApiProblem.badField("limit", "'limit' must be in [1, " + config.maxPageSize() + "]");
        }
        JobQueries.Filter f = new JobQueries.Filter(parseStatus(status), parseType(type), cursor, size);
        List<JobQueries.JobWithOutputs> rows = queries.page(f, caller.get());
        List<JobView> items =
                rows.stream().map(r -> JobView.of(r.job(), r.outputs())).toList();
        String next = rows.size() < size
                ? null
                : new JobQueries.Cursor(
                                rows.get(rows.size() - 1).job().createdAt,
                                rows.get(rows.size() - 1).job().id)
                        .encode();
        return new JobPage(items, next);
    }

    @POST
    @Path("/{id}/cancel")
    @Operation(summary = "Cancel a job: a queued job never runs, a running one stops at its next step")
    public Response cancel(@PathParam("id") String id) {
        UUID jobId = parseId(id);
        cancellation.cancel(jobId, caller.get());
        JobQueries.JobWithOutputs j = queries.get(jobId, caller.get());
        return Response.status(Response.Status.ACCEPTED)
                .entity(JobView.of(j.job(), j.outputs()))
                .build();
    }

    @DELETE
    @Path("/{id}")
    @Operation(
            summary = "Delete a finished job with its outputs, files and inputs",
            description = "204; 409 while the job has not finished (cancel it first); 503 when storage is down (retry)")
    public Response delete(@PathParam("id") String id) {
        deletion.delete(parseId(id), caller.get());
        return Response.noContent().build();
    }

    static UUID parseId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.notFound("no job " + id);
        }
    }

    private static JobStatus parseStatus(String s) {
        if (s == null) {
            return null;
        }
        try {
            return JobStatus.valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badField("status", "unknown status '" + s + "'");
        }
    }

    private static String parseType(String t) {
        if (t == null) {
            return null;
        }
        return JobType.fromWire(t)
                .map(JobType::wireName)
                .orElseThrow(() -> ApiProblem.badField("type", "unknown job type '" + t + "'"));
    }
}
