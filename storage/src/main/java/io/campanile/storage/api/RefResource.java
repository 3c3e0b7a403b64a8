package io.campanile.storage.api;

import io.campanile.contracts.BlobRef;
import io.campanile.storage.auth.CallingService;
import io.campanile.storage.auth.NamespaceOwners;
import io.campanile.storage.auth.Problems;
import io.campanile.storage.persistence.BlobRepository;
import io.campanile.storage.persistence.RefRepository;
import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.regex.Pattern;

/**
 * Internal API: named references to blobs, for content-addressed caches (the text encoder's embeddings). A key is
 * bound once; binding it again to the same blob is a no-op, to another blob a 409 (a cache entry never changes). Only
 * the services that own a namespace ({@link NamespaceOwners}) may bind in it; any service may read.
 */
@Path("/internal/refs/{namespace}/{key}")
@Produces(MediaType.APPLICATION_JSON)
public class RefResource {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");

    private final RefRepository refs;
    private final BlobRepository blobs;
    private final CallingService caller;

    @Inject
    RefResource(RefRepository refs, BlobRepository blobs, CallingService caller) {
        this.refs = refs;
        this.blobs = blobs;
        this.caller = caller;
    }

    /**
     * Body {@code {"sha256": ...}}; 403 when the calling service does not own the namespace, 404 when storage has no
     * such blob, 409 when the key refers to another.
     */
    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    public BlobRef put(@PathParam("namespace") String namespace, @PathParam("key") String key, BlobRef ref) {
        check(namespace, key);
        if (!NamespaceOwners.mayBind(namespace, caller.name())) {
            throw Problems.forbiddenException(caller.name() + " may not bind refs in " + namespace
                    + (NamespaceOwners.owners(namespace).isEmpty()
                            ? ", a namespace no service owns"
                            : "; its owners: " + String.join(", ", NamespaceOwners.owners(namespace))));
        }
        if (ref == null) {
            throw new BadRequestException("body {\"sha256\": ...} is required");
        }
        if (blobs.info(ref.sha256()).isEmpty()) {
            throw new NotFoundException("no blob " + ref.sha256());
        }
        String bound = refs.putIfAbsent(namespace, key, ref.sha256());
        if (!bound.equals(ref.sha256())) {
            throw new ClientErrorException(
                    "ref " + namespace + "/" + key + " already refers to " + bound, Response.Status.CONFLICT);
        }
        return ref;
    }

    /** 404 when the key has no reference. */
    @GET
    public BlobRef get(@PathParam("namespace") String namespace, @PathParam("key") String key) {
        check(namespace, key);
        return refs.find(namespace, key)
                .map(BlobRef::new)
                .orElseThrow(() -> new NotFoundException("no ref " + namespace + "/" + key));
    }

    private static void check(String namespace, String key) {
        if (!NAME.matcher(namespace).matches() || !NAME.matcher(key).matches()) {
            throw new BadRequestException("namespace and key must be 1-200 letters, digits, '.', '_' or '-'");
        }
    }
}
