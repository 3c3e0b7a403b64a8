package io.campanile.gateway.api;

import io.campanile.gateway.service.PackCatalog;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The model packs jobs can run on. */
@Path("/v1/models")
@Produces(MediaType.APPLICATION_JSON)
public class ModelsResource {
    private final PackCatalog catalog;

    @Inject
    ModelsResource(PackCatalog catalog) {
        this.catalog = catalog;
    }

    @GET
    @Operation(summary = "List model packs", description = "Every pack in the packs folder, with its conditioning kind")
    public List<ModelView> list() {
        return catalog.all().stream().map(ModelView::of).toList();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One model pack")
    public ModelView get(@PathParam("id") String id) {
        return catalog.registry()
                .find(id)
                .map(ModelView::of)
                .orElseThrow(() -> ApiProblem.notFound("no model pack '" + id + "'"));
    }
}
