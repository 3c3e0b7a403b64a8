package io.campanile.storage.api;

import io.campanile.contracts.RefEntry;
import io.campanile.storage.persistence.RefRepository;
import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.regex.Pattern;

/** Internal API: the references of a namespace by key prefix (e.g. the files a training job stored). */
@Path("/internal/refs/{namespace}")
@Produces(MediaType.APPLICATION_JSON)
public class RefListResource {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9._-]{0,200}");

    private final RefRepository refs;

    @Inject
    RefListResource(RefRepository refs) {
        this.refs = refs;
    }

    /** Up to 1000 references whose key starts with {@code prefix}, ordered by key. */
    @GET
    public List<RefEntry> list(@PathParam("namespace") String namespace, @QueryParam("prefix") String prefix) {
        String p = prefix == null ? "" : prefix;
        if (!NAME.matcher(namespace).matches() || !PREFIX.matcher(p).matches()) {
            throw new BadRequestException("namespace and prefix must be letters, digits, '.', '_' or '-'");
        }
        return refs.list(namespace, p);
    }
}
