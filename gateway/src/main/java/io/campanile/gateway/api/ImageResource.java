package io.campanile.gateway.api;

import io.campanile.contracts.BlobRef;
import io.campanile.contracts.StoredImage;
import io.campanile.platform.StorageClient;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.util.Locale;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Output images: the PNG, or with {@code ?format=npy} the raw float32 CHW tensor before quantisation. */
@Path("/v1/images/{id}")
@Blocking
public class ImageResource {
    private final StorageClient storage;

    @Inject
    ImageResource(StorageClient storage) {
        this.storage = storage;
    }

    @GET
    @Operation(summary = "An output image as PNG, or as a NumPy .npy float32 tensor with format=npy")
    public Response get(@PathParam("id") String id, @QueryParam("format") String format) {
        String fmt = format == null ? "png" : format.toLowerCase(Locale.ROOT);
        if (!fmt.equals("png") && !fmt.equals("npy")) {
            throw ApiProblem.badField("format", "'format' must be png or npy");
        }
        StoredImage image = find(id);
        BlobRef ref = fmt.equals("png") ? image.png() : image.tensor();
        if (ref == null) {
            throw ApiProblem.notFound("image " + id + " has no stored tensor");
        }
        byte[] bytes = storage.getBlob(ref);
        String name = image.role().replaceAll("[^A-Za-z0-9=_.-]+", "_") + "." + fmt;
        return Response.ok(bytes, fmt.equals("png") ? "image/png" : "application/octet-stream")
                .header("Content-Disposition", "inline; filename=\"" + name + "\"")
                .header("X-Image-Role", image.role())
                .header("X-Tensor-Shape", image.shape().toString())
                .header("Cache-Control", "public, max-age=31536000, immutable")
                .build();
    }

    private StoredImage find(String id) {
        try {
            return storage.getImage(UUID.fromString(id));
        } catch (IllegalArgumentException | StorageClient.NotFoundException e) {
            throw ApiProblem.notFound("no image " + id);
        }
    }
}
