package io.campanile.gateway.api;

import io.campanile.contracts.BlobRef;
import io.campanile.contracts.RefEntry;
import io.campanile.gateway.auth.CurrentCaller;
import io.campanile.gateway.service.JobQueries;
import io.campanile.platform.JobFiles;
import io.campanile.platform.StorageClient;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Files a job stored besides its images (training checkpoints, losses, the sampling GIF). */
@Path("/v1/jobs/{id}/files")
@Blocking
public class JobFilesResource {
    private final JobQueries queries;
    private final StorageClient storage;
    private final CurrentCaller caller;

    @Inject
    JobFilesResource(JobQueries queries, StorageClient storage, CurrentCaller caller) {
        this.queries = queries;
        this.storage = storage;
        this.caller = caller;
    }

    /**
     * The job's files, from storage's job-files references (key "job id.file name"); the caller has checked that the
     * job is the requester's to see.
     */
    public List<JobView.FileView> list(UUID jobId) {
        String prefix = jobId + ".";
        return storage.listRefs(JobFiles.NAMESPACE, prefix).stream()
                .map(r -> new JobView.FileView(
                        r.key().substring(prefix.length()),
                        r.mediaType(),
                        r.size(),
                        "/v1/jobs/" + jobId + "/files/" + r.key().substring(prefix.length())))
                .toList();
    }

    @GET
    @Path("/{name}")
    @Operation(
            summary = "Download a file of a job",
            description = "e.g. checkpoint-epoch-5.sd or sampling-epoch-20.gif")
    public Response get(@PathParam("id") String id, @PathParam("name") String name) {
        UUID jobId = JobResource.parseId(id);
        queries.get(jobId, caller.get()); // 404 for an unknown job and for another tenant's
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,150}")) {
            throw ApiProblem.badField("name", "a file name is letters, digits, '.', '_' or '-'");
        }
        RefEntry file = storage.listRefs(JobFiles.NAMESPACE, jobId + "." + name).stream()
                .filter(r -> r.key().equals(jobId + "." + name))
                .findFirst()
                .orElseThrow(() -> ApiProblem.notFound("job " + jobId + " has no file '" + name + "'"));
        byte[] bytes = storage.getBlob(new BlobRef(file.sha256()));
        return Response.ok(bytes, file.mediaType())
                .header("Content-Disposition", "attachment; filename=\"" + name + "\"")
                .build();
    }
}
