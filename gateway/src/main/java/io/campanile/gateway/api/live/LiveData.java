package io.campanile.gateway.api.live;

import com.fasterxml.jackson.databind.JsonNode;
import io.campanile.contracts.JobStatus;
import io.campanile.contracts.Preview;
import io.campanile.gateway.api.JobView;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/** The JSON data of the live events other than {@code status} and {@code output} (snake_case, nulls included). */
public final class LiveData {
    private LiveData() {}

    /** A {@code progress} event: where the job is; training jobs fill epoch, loss and images per second. */
    public record ProgressData(
            String stage,
            Integer step,
            Integer total,
            Double etaSeconds,
            Integer epoch,
            Double loss,
            Double imagesPerSecond) {}

    /** A {@code preview} event of a job's stream: the step and a PNG data URL of the current x0-hat. */
    public record PreviewData(String stage, int step, int total, String image) {}

    /** The progress in a {@code job} event of the all-jobs stream. */
    public record SummaryProgress(String stage, Integer step, Integer total, Double etaSeconds) {}

    /** A {@code job} event of the all-jobs stream: what the jobs list shows of a job. */
    public record JobSummary(
            UUID id,
            String type,
            String model,
            JobStatus status,
            SummaryProgress progress,
            String worker,
            Instant createdAt,
            Instant updatedAt) {}

    /** A {@code preview} event of the all-jobs stream. */
    public record PreviewSummary(UUID jobId, String image) {}

    static ProgressData progress(JobView.ProgressView p) {
        JsonNode d = p.detail();
        return new ProgressData(
                p.stage(),
                p.step(),
                p.total(),
                number(d, "eta_seconds"),
                d == null || !d.hasNonNull("epoch") ? null : d.get("epoch").asInt(),
                number(d, "loss"),
                number(d, "images_per_second"));
    }

    static JobSummary summary(JobView v) {
        JobView.ProgressView p = v.progress();
        SummaryProgress sp = p == null
                ? null
                : new SummaryProgress(p.stage(), p.step(), p.total(), number(p.detail(), "eta_seconds"));
        return new JobSummary(v.id(), v.type(), v.model(), v.status(), sp, v.worker(), v.createdAt(), v.updatedAt());
    }

    static PreviewData preview(Preview p) {
        return new PreviewData(p.stage(), p.step(), p.total(), dataUrl(p.png()));
    }

    static String dataUrl(byte[] png) {
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(png);
    }

    private static Double number(JsonNode d, String field) {
        return d == null || !d.hasNonNull(field) ? null : d.get(field).asDouble();
    }
}
