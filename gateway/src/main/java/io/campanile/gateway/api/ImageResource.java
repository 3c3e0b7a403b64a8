package io.campanile.gateway.api;

import io.campanile.contracts.BlobRef;
import io.campanile.contracts.StoredImage;
import io.campanile.gateway.auth.CurrentCaller;
import io.campanile.gateway.service.JobNotFoundException;
import io.campanile.gateway.service.JobQueries;
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

/**
 * Output images: the PNG, or with {@code ?format=npy} the raw float32 CHW tensor before quantisation. An image is
 * visible when its job is: another tenant's image is not found, like an unknown one. Answers are
 * {@code Cache-Control: private} (an image is the tenant's, no shared cache may keep it), and still immutable.
 */
@Path("/v1/images/{id}")
@Blocking
public class ImageResource {
    private final StorageClient storage;
    private final JobQueries queries;
    private final CurrentCaller caller;

    @Inject
    ImageResource(StorageClient storage, JobQueries queries, CurrentCaller caller) {
        this.storage = storage;
        this.queries = queries;
        this.caller = caller;
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
                .header("Cache-Control", "private, max-age=31536000, immutable")
                .build();
    }

    private StoredImage find(String id) {
        StoredImage image;
        try {
            image = storage.getImage(UUID.fromString(id));
        } catch (IllegalArgumentException | StorageClient.NotFoundException e) {
            throw ApiProblem.notFound("no image " + id);
        }
        try {
            queries.get(image.jobId(), caller.get());
        } catch (JobNotFoundException e) {
            throw ApiProblem.notFound("no image " + id); // the same answer as for an unknown image
        }
        return image;
    }
}
