package io.campanile.storage.api;

import io.campanile.contracts.BlobInfo;
import io.campanile.contracts.BlobRef;
import io.campanile.storage.persistence.BlobRepository;
import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Internal API: content-addressed blobs. The address is the SHA-256 of the bytes. */
@Path("/internal/blobs")
public class BlobResource {
    private final BlobRepository blobs;

    @Inject
    BlobResource(BlobRepository blobs) {
        this.blobs = blobs;
    }

    /** Stores the body under its SHA-256; storing the same bytes again returns the same address. */
    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public BlobInfo put(byte[] body, @HeaderParam("Content-Type") String contentType) {
        if (body == null || body.length == 0) {
            throw new BadRequestException("empty blob");
        }
        String media = contentType == null ? MediaType.APPLICATION_OCTET_STREAM : contentType;
        return blobs.put(BlobRef.of(body).sha256(), media, body);
    }

    @GET
    @Path("/{sha256}")
    public Response get(@PathParam("sha256") String sha256) {
        BlobInfo info = blobs.info(sha256).orElseThrow(() -> new NotFoundException("no blob " + sha256));
        byte[] data = blobs.data(sha256).orElseThrow(() -> new NotFoundException("no blob " + sha256));
        return Response.ok(data, info.mediaType())
                .header("ETag", "\"" + sha256 + "\"")
                .build();
    }

    @GET
    @Path("/{sha256}/info")
    @Produces(MediaType.APPLICATION_JSON)
    public BlobInfo info(@PathParam("sha256") String sha256) {
        return blobs.info(sha256).orElseThrow(() -> new NotFoundException("no blob " + sha256));
    }
}
