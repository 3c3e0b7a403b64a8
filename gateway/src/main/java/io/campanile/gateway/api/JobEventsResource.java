package io.campanile.gateway.api;

import io.campanile.gateway.service.JobQueries;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestStreamElementType;

/**
 * Server-Sent Events of a job: the current state at once, then every change (progress, outputs, status), closing
 * after the terminal state. Changes are read from PostgreSQL, so any gateway replica can serve any job.
 */
@Path("/v1/jobs/{id}/events")
public class JobEventsResource {
    private final JobQueries queries;

    @Inject
    JobEventsResource(JobQueries queries) {
        this.queries = queries;
    }

    @GET
    @Blocking
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(summary = "Server-Sent Events of a job's progress and status; closes at a terminal state")
    public Multi<JobView> events(@PathParam("id") String id) {
        UUID jobId = JobResource.parseId(id);
        JobView first = snapshot(jobId); // 404 before the stream opens
        AtomicLong seen = new AtomicLong(first.version());
        AtomicBoolean done = new AtomicBoolean(first.status().isTerminal());
        Multi<JobView> changes = Multi.createFrom()
                .ticks()
                .every(Duration.ofMillis(200))
                .onOverflow()
                .drop()
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .select()
                .first(tick -> !done.get())
                .map(tick -> snapshot(jobId))
                .filter(v -> v.version() > seen.get())
                .invoke(v -> {
                    seen.set(v.version());
                    done.set(v.status().isTerminal());
                });
        return Multi.createBy().concatenating().streams(Multi.createFrom().item(first), changes);
    }

    private JobView snapshot(UUID id) {
        JobQueries.JobWithOutputs j = queries.get(id);
        return JobView.of(j.job(), j.outputs());
    }
}
