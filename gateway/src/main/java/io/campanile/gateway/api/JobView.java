package io.campanile.gateway.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.campanile.contracts.JobStatus;
import io.campanile.contracts.Json;
import io.campanile.gateway.persistence.JobEntity;
import io.campanile.gateway.persistence.JobOutputEntity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A job as the API shows it (snake_case JSON).
 *
 * @param worker the worker instance that runs (or ran) the job
 * @param attempt which start of the job by its current stage this is (1 on a first start; more after a worker was
 *        lost and another replica took the job up); null until a worker reports one
 * @param leaseExpiresAt until when the worker holds the running job unless it renews the lease; null while no worker
 *        holds it (queued, waiting in the next stage's queue, finished). A lease that lapsed for longer than the
 *        gateway's grace fails the job with "worker lost"
 */
public record JobView(
        UUID id,
        String type,
        String model,
        JobStatus status,
        long seed,
        JsonNode params,
        ProgressView progress,
        String error,
        String worker,
        Integer attempt,
        Instant leaseExpiresAt,
        boolean cancelRequested,
        List<OutputView> outputs,
        Instant createdAt,
        Instant updatedAt,
        Instant startedAt,
        Instant finishedAt,
        long version,
        List<String> warnings,
        JsonNode timings,
        List<FileView> files) {

    /**
     * A file a job stored besides its images (training: per-epoch checkpoints, losses, the sampling GIF): download
     * it at {@code url}.
     */
    public record FileView(String name, String mediaType, long bytes, String url) {}

    /** This view with the job's files. */
    public JobView withFiles(List<FileView> jobFiles) {
        return new JobView(
                id,
                type,
                model,
                status,
                seed,
                params,
                progress,
                error,
                worker,
                attempt,
                leaseExpiresAt,
                cancelRequested,
                outputs,
                createdAt,
                updatedAt,
                startedAt,
                finishedAt,
                version,
                warnings,
                timings,
                jobFiles);
    }

    /**
     * Where a running job is; training jobs add {@code detail}: epoch, loss, images_per_second, eta_seconds.
     */
    public record ProgressView(String stage, Integer step, Integer total, JsonNode detail) {}

    /** An output image: fetch it at {@code url} (PNG) or {@code url?format=npy} (raw float32 tensor). */
    public record OutputView(UUID imageId, String role, String url) {}

    /** The view of a job row and its outputs (the same for {@code GET /v1/jobs/{id}} and the event streams). */
    public static JobView of(JobEntity j, List<JobOutputEntity> outputs) {
        JsonNode params;
        try {
            params = Json.mapper().readTree(j.params);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt params of job " + j.id, e);
        }
        ProgressView progress = j.progressStage == null
                ? null
                : new ProgressView(j.progressStage, j.progressStep, j.progressTotal, json(j.progressDetail, j));
        List<OutputView> outs = outputs.stream()
                .map(o -> new OutputView(o.imageId, o.role, "/v1/images/" + o.imageId))
                .toList();
        return new JobView(
                j.id,
                j.type,
                j.model,
                j.status,
                j.seed,
                params,
                progress,
                j.error,
                j.worker,
                j.attempt,
                j.leaseExpiresAt,
                j.cancelRequested,
                outs,
                j.createdAt,
                j.updatedAt,
                j.startedAt,
                j.finishedAt,
                j.version,
                warnings(j),
                json(j.timings, j),
                null);
    }

    private static JsonNode json(String text, JobEntity j) {
        try {
            return text == null ? null : Json.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt JSON column of job " + j.id, e);
        }
    }

    private static List<String> warnings(JobEntity j) {
        JsonNode w = json(j.warnings, j);
        if (w == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        w.forEach(n -> out.add(n.asText()));
        return out;
    }
}
