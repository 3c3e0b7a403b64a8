package io.campanile.storage.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.campanile.contracts.AttemptCount;
import io.campanile.contracts.Json;
import io.campanile.storage.persistence.AttemptRepository;
import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Internal API: a worker records that it starts a job, before it runs it, and learns which attempt this is. The count
 * lives here rather than in the worker so that it survives the worker: a job whose run kills the process is seen,
 * on its next delivery, to have been started before.
 */
@Path("/internal/attempts/{consumer}/{jobId}")
@Produces(MediaType.APPLICATION_JSON)
public class AttemptResource {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");
    /** The canonical form only: {@link UUID#fromString} also takes short groups such as {@code 1-2-3-4-5}. */
    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    /** The longest final event kept: an event with a long failure reason fits. */
    static final int MAX_FINAL_EVENT = 65_536;

    private final AttemptRepository attempts;

    @Inject
    AttemptResource(AttemptRepository attempts) {
        this.attempts = attempts;
    }

    /**
     * No body; answers {@code {"attempt": n, "finished": f}}, n counting this start unless the job was finished
     * already. 400 for a bad consumer name or job id.
     */
    @POST
    public AttemptCount record(@PathParam("consumer") String consumer, @PathParam("jobId") String jobId) {
        return attempts.increment(consumer, checked(consumer, jobId));
    }

    /**
     * The consumer finished the job (reported its end or handed it on): later starts are duplicates. The optional
     * body is the final event (a JSON object of at most {@value #MAX_FINAL_EVENT} bytes of UTF-8) the consumer is about
     * to publish; later starts are answered with the first event recorded, to publish again. 204; 400 for a body that is not a JSON object.
     */
    @POST
    @Path("finished")
    @Consumes({MediaType.APPLICATION_JSON, MediaType.WILDCARD})
    public void finished(@PathParam("consumer") String consumer, @PathParam("jobId") String jobId, String body) {
        UUID job = checked(consumer, jobId);
        attempts.finish(consumer, job, finalEvent(body));
    }

    private static String finalEvent(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        if (body.getBytes(StandardCharsets.UTF_8).length > MAX_FINAL_EVENT) {
            throw new BadRequestException("final event must be at most " + MAX_FINAL_EVENT + " bytes");
        }
        try {
            if (!Json.mapper().readTree(body).isObject()) {
                throw new BadRequestException("final event must be a JSON object");
            }
        } catch (JsonProcessingException e) {
            throw new BadRequestException("final event must be a JSON object: " + e.getOriginalMessage());
        }
        return body;
    }

    private static UUID checked(String consumer, String jobId) {
        if (!NAME.matcher(consumer).matches()) {
            throw new BadRequestException("consumer must be 1-200 letters, digits, '.', '_' or '-'");
        }
        if (!UUID_TEXT.matcher(jobId).matches()) {
            throw new BadRequestException("job id must be a UUID, got '" + jobId + "'");
        }
        return UUID.fromString(jobId);
    }
}
