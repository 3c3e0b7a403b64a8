package io.campanile.gateway.api;

import io.campanile.contracts.jobs.InvalidFieldException;
import io.campanile.gateway.persistence.DatabaseException;
import io.campanile.gateway.persistence.DatabaseUnavailableException;
import io.campanile.gateway.service.ConflictException;
import io.campanile.gateway.service.InvalidRequestException;
import io.campanile.gateway.service.JobNotFoundException;
import io.campanile.gateway.service.QuotaExceededException;
import io.campanile.gateway.service.ServiceUnavailableException;
import io.campanile.platform.BrokerUnavailableException;
import io.campanile.platform.StorageClient;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns known failures into problem+json answers; a dependency that is down is a 503, never a 500. The service layer's
 * exceptions become the API's problems here, at the edge: the services know nothing of HTTP.
 */
public class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);
    public static final String PROBLEM_JSON = "application/problem+json";

    /** The problem+json answer of an {@link ApiProblem}, with the headers its status calls for. */
    public static Response problem(ApiProblem p) {
        Response.ResponseBuilder b = builder(p.status(), p.title(), p.field(), p.getMessage(), p.limit());
        if (p.status() == 429) {
            b.header("Retry-After", Long.toString(Math.max(1, p.retryAfterSeconds())));
        }
        return b.build();
    }

    static Response problem(int status, String title, String field, String detail) {
        return builder(status, title, field, detail, null).build();
    }

    private static Response.ResponseBuilder builder(
            int status, String title, String field, String detail, String limit) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        if (field != null) {
            body.put("field", field);
        }
        if (limit != null) {
            body.put("limit", limit);
        }
        Response.ResponseBuilder b = Response.status(status).type(PROBLEM_JSON).entity(body);
        if (status == 503) {
            b.header("Retry-After", "5");
        }
        if (status == 401) {
            b.header("WWW-Authenticate", "Bearer");
        }
        return b;
    }

    @ServerExceptionMapper
    public Response apiProblem(ApiProblem e) {
        return problem(e);
    }

    /** A request field that breaks its job type's rules (checked in libs/contracts). */
    @ServerExceptionMapper
    public Response invalidField(InvalidFieldException e) {
        return problem(400, "Invalid request", e.field(), e.getMessage());
    }

    @ServerExceptionMapper
    public Response invalidRequest(InvalidRequestException e) {
        return apiProblem(ApiProblem.badField(e.field(), e.getMessage()));
    }

    @ServerExceptionMapper
    public Response jobNotFound(JobNotFoundException e) {
        return apiProblem(ApiProblem.notFound(e.getMessage()));
    }

    @ServerExceptionMapper
    public Response conflict(ConflictException e) {
        return apiProblem(ApiProblem.conflict(e.field(), e.getMessage()));
    }

    @ServerExceptionMapper
    public Response unavailable(ServiceUnavailableException e) {
        return apiProblem(ApiProblem.unavailable(e.getMessage()));
    }

    /** A tenant over one of its quotas: 429, when to retry, and which limit. */
    @ServerExceptionMapper
    public Response quotaExceeded(QuotaExceededException e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", "Too many requests");
        body.put("status", 429);
        body.put("detail", e.getMessage());
        body.put("limit", e.limit());
        return Response.status(429)
                .type(PROBLEM_JSON)
                .header("Retry-After", Long.toString(e.retryAfterSeconds()))
                .entity(body)
                .build();
    }

    @ServerExceptionMapper
    public Response storageDown(StorageClient.StorageUnavailableException e) {
        LOG.warn(e.getMessage());
        return problem(503, "Service unavailable", null, "storage is unavailable, retry later");
    }

    @ServerExceptionMapper
    public Response brokerDown(BrokerUnavailableException e) {
        LOG.warn(e.getMessage());
        return problem(503, "Service unavailable", null, "the message broker is unavailable, retry later");
    }

    /** The database cannot be reached (the repositories tell it from other database failures): 503. */
    @ServerExceptionMapper
    public Response databaseDown(DatabaseUnavailableException e) {
        LOG.warn("database unavailable: " + e.getMessage());
        return problem(503, "Service unavailable", null, "the database is unavailable, retry later");
    }

    /** Any other database failure is a bug and stays a 500. */
    @ServerExceptionMapper
    public Response database(DatabaseException e) {
        LOG.error("database error", e);
        return problem(500, "Internal error", null, "unexpected database error");
    }
}
