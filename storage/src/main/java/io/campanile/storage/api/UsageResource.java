package io.campanile.storage.api;

import io.campanile.contracts.TenantUsage;
import io.campanile.storage.auth.ServiceOnly;
import io.campanile.storage.persistence.JobOwnerRepository;
import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Internal API for the gateway's quotas: the bytes a tenant's jobs keep in storage. */
@ServiceOnly("gateway")
@Path("/internal/usage/{tenant}")
@Produces(MediaType.APPLICATION_JSON)
public class UsageResource {
    private final JobOwnerRepository owners;

    @Inject
    UsageResource(JobOwnerRepository owners) {
        this.owners = owners;
    }

    /** {@code {"tenant": "t", "bytes": N}}: 0 for a tenant without jobs. */
    @GET
    public TenantUsage usage(@PathParam("tenant") String tenant) {
        if (!JobOwnerResource.TENANT.matcher(tenant).matches()) {
            throw new BadRequestException("tenant must be 1-200 letters, digits, '.', '_' or '-'");
        }
        return new TenantUsage(tenant, owners.usage(tenant));
    }
}
