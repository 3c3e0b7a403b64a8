package io.campanile.storage.auth;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;

/** The refusals of the internal API as problem+json answers, in the gateway's problem shape. */
public final class Problems {
    static final String PROBLEM_JSON = "application/problem+json";

    private Problems() {}

    /** 401 with {@code WWW-Authenticate: Bearer}: no token, or one storage did not issue. */
    static Response unauthorized(String detail) {
        return problem(401, "Unauthorized", detail)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .build();
    }

    /** 403: the service is known but may not do this. */
    static Response forbidden(String detail) {
        return problem(403, "Forbidden", detail).build();
    }

    /** A 403 to throw from a resource method. */
    public static WebApplicationException forbiddenException(String detail) {
        return new WebApplicationException(forbidden(detail));
    }

    private static Response.ResponseBuilder problem(int status, String title, String detail) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        return Response.status(status).type(PROBLEM_JSON).entity(body);
    }
}
