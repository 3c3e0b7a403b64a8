package io.campanile.storage.api;

import io.campanile.contracts.JobRegistration;
import io.campanile.storage.auth.ServiceOnly;
import io.campanile.storage.persistence.BlobRepository;
import io.campanile.storage.persistence.JobOwnerRepository;
import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Internal API for the gateway: which tenant a job belongs to, the input blobs it holds, and the deletion of all the
 * job's data. A held blob is kept until the job is deleted; what the job no longer refers to then is collected.
 */
@ServiceOnly("gateway")
@Path("/internal/jobs/{jobId}")
public class JobOwnerResource {
    static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    static final Pattern TENANT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private final JobOwnerRepository owners;
    private final BlobRepository blobs;

    @Inject
    JobOwnerResource(JobOwnerRepository owners, BlobRepository blobs) {
        this.owners = owners;
        this.blobs = blobs;
    }

    /**
     * Body {@code {"tenant": "t", "inputs": ["<sha256>", ...]}}: registers the job's tenant and holds its inputs.
     * Idempotent, 204. 400 for a malformed body, 404 when an input blob is not stored, 409 when the job is registered
     * to another tenant.
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public void register(@PathParam("jobId") String jobId, JobRegistration registration) {
        UUID id = jobId(jobId);
        if (registration == null
                || registration.tenant() == null
                || !TENANT.matcher(registration.tenant()).matches()) {
            throw new BadRequestException("body {\"tenant\": ..., \"inputs\": [...]} with a tenant of 1-200 letters, "
                    + "digits, '.', '_' or '-' is required");
        }
        List<String> inputs = registration.inputs() == null ? List.of() : registration.inputs();
        for (String sha256 : inputs) {
            if (sha256 == null || !SHA256.matcher(sha256).matches()) {
                throw new BadRequestException("inputs must be lower-case hex SHA-256 digests, got '" + sha256 + "'");
            }
            if (blobs.info(sha256).isEmpty()) {
                throw new NotFoundException("no blob " + sha256);
            }
        }
        String tenant = owners.register(id, registration.tenant(), inputs);
        if (!tenant.equals(registration.tenant())) {
            throw new ClientErrorException("job " + id + " belongs to another tenant", Response.Status.CONFLICT);
        }
    }

    /** Deletes the job's images, files, holds and owner row. Idempotent: 204, also for a job storage never saw. */
    @DELETE
    public void delete(@PathParam("jobId") String jobId) {
        owners.delete(jobId(jobId));
    }

    static UUID jobId(String text) {
        if (!UUID_TEXT.matcher(text).matches()) {
            throw new BadRequestException("job id must be a UUID, got '" + text + "'");
        }
        return UUID.fromString(text);
    }
}
