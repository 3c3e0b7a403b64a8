package io.campanile.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.campanile.gateway.api.ApiProblem;
import io.campanile.gateway.api.ProblemMappers;
import io.campanile.gateway.service.ConflictException;
import io.campanile.gateway.service.InvalidRequestException;
import io.campanile.gateway.service.JobNotFoundException;
import io.campanile.gateway.service.ServiceUnavailableException;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The service layer's exceptions answer the same problem+json as the API problems they replaced. */
class ProblemMappersTest {
    private final ProblemMappers mappers = new ProblemMappers();

    private static void assertSame(Response expected, Response actual) {
        assertEquals(expected.getStatus(), actual.getStatus());
        assertEquals(expected.getMediaType(), actual.getMediaType());
        assertEquals(expected.getHeaderString("Retry-After"), actual.getHeaderString("Retry-After"));
        assertEquals(expected.getEntity(), actual.getEntity());
    }

    @Test
    void serviceExceptionsAnswerAsTheApiProblemsDid() {
        UUID id = UUID.randomUUID();
        assertSame(
                mappers.apiProblem(ApiProblem.badField("t[1]", "'t[1]' is 1000")),
                mappers.invalidRequest(new InvalidRequestException("t[1]", "'t[1]' is 1000")));
        assertSame(
                mappers.apiProblem(ApiProblem.notFound("no job " + id)),
                mappers.jobNotFound(new JobNotFoundException(id)));
        assertSame(
                mappers.apiProblem(ApiProblem.conflict("status", "job " + id + " already SUCCEEDED")),
                mappers.conflict(new ConflictException("status", "job " + id + " already SUCCEEDED")));
        assertSame(
                mappers.apiProblem(ApiProblem.unavailable("the message broker is unavailable, retry later")),
                mappers.unavailable(new ServiceUnavailableException("the message broker is unavailable, retry later")));
    }

    @Test
    void theBodyNamesTheField() {
        Response r = mappers.invalidRequest(new InvalidRequestException("model", "unknown model 'x'"));
        assertEquals(400, r.getStatus());
        assertEquals(
                Map.of(
                        "type",
                        "about:blank",
                        "title",
                        "Invalid request",
                        "status",
                        400,
                        "detail",
                        "unknown model 'x'",
                        "field",
                        "model"),
                r.getEntity());
        Response gone = mappers.jobNotFound(new JobNotFoundException(new UUID(0, 1)));
        assertEquals(
                Map.of(
                        "type",
                        "about:blank",
                        "title",
                        "Not found",
                        "status",
                        404,
                        "detail",
                        "no job 00000000-0000-0000-0000-000000000001"),
                gone.getEntity());
    }
}
