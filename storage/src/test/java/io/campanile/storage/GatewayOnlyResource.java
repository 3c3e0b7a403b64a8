package io.campanile.storage;

import io.campanile.storage.auth.CallingService;
import io.campanile.storage.auth.ServiceOnly;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** A test-only endpoint guarded like the gateway's {@code /internal/jobs} and {@code /internal/usage}. */
@Path("/internal/test-only/gateway")
@ServiceOnly("gateway")
public class GatewayOnlyResource {
    private final CallingService caller;

    @Inject
    GatewayOnlyResource(CallingService caller) {
        this.caller = caller;
    }

    @GET
    @Produces(MediaType.TEXT_PLAIN)
    public String who() {
        return caller.name();
    }

    /** A method's rule wins over its class's. */
    @GET
    @Path("trainer")
    @Produces(MediaType.TEXT_PLAIN)
    @ServiceOnly({"gateway", "trainer"})
    public String whoElse() {
        return caller.name();
    }
}
