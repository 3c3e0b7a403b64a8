package io.campanile.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.campanile.contracts.Json;
import io.campanile.contracts.JobStatus;
import io.campanile.gateway.persistence.JobEntity;
import io.campanile.gateway.persistence.JobOutputEntity;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A job as the API shows it (snake_case JSON). */
public record JobView(UUID id, String type, String model, JobStatus status, long seed, JsonNode params,
        ProgressView progress, String error, String worker, boolean cancelRequested, List<OutputView> outputs, Instant createdAt,
        Instant updatedAt, Instant startedAt, Instant finishedAt, long version) {

    /** Where a running job is. */
    public record ProgressView(String stage, Integer step, Integer total) {
    }

    /** An output image: fetch it at {@code url} (PNG) or {@code url?format=npy} (raw float32 tensor). */
    public record OutputView(UUID imageId, String role, String url) {
    }

    static JobView of(JobEntity j, List<JobOutputEntity> outputs) {
        JsonNode params;
        try {
            params = Json.mapper().readTree(j.params);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("corrupt params of job " + j.id, e);
        }
        ProgressView progress = j.progressStage == null ? null
                : new ProgressView(j.progressStage, j.progressStep, j.progressTotal);
        List<OutputView> outs = outputs.stream()
                .map(o -> new OutputView(o.imageId, o.role, "/v1/images/" + o.imageId)).toList();
        return new JobView(j.id, j.type, j.model, j.status, j.seed, params, progress, j.error, j.worker, j.cancelRequested,
                outs, j.createdAt, j.updatedAt, j.startedAt, j.finishedAt, j.version);
    }
}
