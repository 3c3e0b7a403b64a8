package io.campanile.storage.api;

import io.campanile.contracts.StoredImage;
import io.campanile.storage.service.ImageCatalog;
import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;

/** Internal API: image metadata, registered by workers after they stored the blobs. */
@Path("/internal/images")
@Produces(MediaType.APPLICATION_JSON)
public class ImageResource {
    private final ImageCatalog catalog;

    @Inject
    ImageResource(ImageCatalog catalog) {
        this.catalog = catalog;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public StoredImage register(StoredImage image) {
        try {
            return catalog.register(image);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(e.getMessage());
        }
    }

    @GET
    @Path("/{id}")
    public StoredImage get(@PathParam("id") UUID id) {
        return catalog.find(id).orElseThrow(() -> new NotFoundException("no image " + id));
    }

    @GET
    public List<StoredImage> byJob(@QueryParam("job") UUID jobId) {
        if (jobId == null) {
            throw new BadRequestException("query parameter job is required");
        }
        return catalog.listByJob(jobId);
    }
}
