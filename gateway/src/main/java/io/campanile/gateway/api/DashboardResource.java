package io.campanile.gateway.api;

import io.campanile.contracts.JobStatus;
import io.campanile.contracts.JobType;
import io.campanile.gateway.service.PackCatalog;
import io.campanile.packs.ModelPack;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The web dashboard (ADR 0014): Qute pages on the gateway's own port. Each page is rendered here with what the server
 * knows at once (filters, the model packs); the small scripts under {@code META-INF/resources/assets} then read the
 * public API ({@code /v1/...}) and its event streams, so the pages show nothing the API does not.
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class DashboardResource {
    private final PackCatalog catalog;
    private final Template jobs;
    private final Template job;
    private final Template submit;
    private final Template workers;
    private final Template models;
    private final Template login;

    /** A model pack's row of the models page: strings as shown (Qute reads map keys without reflection). */
    static Map<String, Object> modelRow(ModelView m, Long bytesOnDisk) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", m.id());
        row.put("kind", m.kind() + (m.upscaler() ? " (stage II upscaler)" : ""));
        row.put("installed", m.installed() ? "installed" : "manifest only");
        row.put("installedClass", m.installed() ? "ok" : "missing");
        row.put(
                "conditioning",
                orDash(m.conditioning())
                        + (m.classLabels() == null || m.classLabels().isEmpty()
                                ? ""
                                : " (" + String.join(", ", m.classLabels()) + ")"));
        ModelView.Scheduler s = m.scheduler();
        row.put(
                "schedule",
                s == null
                        ? "-"
                        : orDash(s.betaSchedule()) + ", T = " + orDash(s.numTrainTimesteps()) + ", variance "
                                + orDash(s.varianceType()));
        row.put(
                "image",
                m.imageSize() == null
                        ? "-"
                        : m.imageSize() + " x " + m.imageSize() + (m.channels() == null ? "" : " x " + m.channels()));
        row.put("textEncoder", orDash(m.textEncoder()));
        row.put("disk", size(bytesOnDisk)); // not "size": Qute reads map.size as the entry count
        row.put("description", orDash(m.description()));
        return row;
    }

    /** A size for people: "1.2 GB", "340.0 kB", or "?" when unknown. */
    static String size(Long bytes) {
        if (bytes == null) {
            return "?";
        }
        String[] units = {"B", "kB", "MB", "GB", "TB"};
        double v = bytes;
        int u = 0;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return u == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    private static String orDash(Object o) {
        return o == null ? "-" : o.toString();
    }

    @Inject
    DashboardResource(
            PackCatalog catalog,
            @Location("dashboard/jobs.html") Template jobs,
            @Location("dashboard/job.html") Template job,
            @Location("dashboard/submit.html") Template submit,
            @Location("dashboard/workers.html") Template workers,
            @Location("dashboard/models.html") Template models,
            @Location("dashboard/login.html") Template login) {
        this.catalog = catalog;
        this.jobs = jobs;
        this.job = job;
        this.submit = submit;
        this.workers = workers;
        this.models = models;
        this.login = login;
    }

    /** The login page, open without a key (ADR 0015); its script starts the session and goes back. */
    @GET
    @Path("login")
    @Operation(hidden = true)
    public String login() {
        return login.data("page", "login").data("title", "Log in").render();
    }

    @GET
    @Operation(hidden = true)
    public String jobs() {
        return jobs.data("page", "jobs")
                .data("title", "Jobs")
                .data(
                        "statuses",
                        Arrays.stream(JobStatus.values()).map(Enum::name).toList())
                .data(
                        "types",
                        Arrays.stream(JobType.values()).map(JobType::wireName).toList())
                .data(
                        "models",
                        catalog.all().stream().map(ModelPack::id).sorted().toList())
                .render();
    }

    @GET
    @Path("jobs/{id}")
    @Operation(hidden = true)
    public String job(@PathParam("id") String id) {
        UUID jobId = JobResource.parseId(id); // the page itself answers 404 for an unknown job when its script loads
        return job.data("page", "job")
                .data("title", "Job " + jobId.toString().substring(0, 8))
                .data("id", jobId.toString())
                .render();
    }

    @GET
    @Path("submit")
    @Operation(hidden = true)
    public String submit() {
        return submit.data("page", "submit").data("title", "Submit").render();
    }

    @GET
    @Path("workers")
    @Operation(hidden = true)
    public String workers() {
        return workers.data("page", "workers").data("title", "Workers").render();
    }

    @GET
    @Path("models")
    @Operation(hidden = true)
    public String models() {
        List<Map<String, Object>> rows = catalog.all().stream()
                .sorted(Comparator.comparing(ModelPack::id))
                .map(p -> modelRow(ModelView.of(p), bytesOnDisk(p)))
                .toList();
        return models.data("page", "models")
                .data("title", "Models")
                .data("models", rows)
                .render();
    }

    private static Long bytesOnDisk(ModelPack pack) {
        try (var files = Files.walk(pack.dir(), 4, FileVisitOption.FOLLOW_LINKS)) {
            return files.filter(Files::isRegularFile)
                    .mapToLong(f -> f.toFile().length())
                    .sum();
        } catch (IOException | UncheckedIOException e) {
            return null; // a pack folder that vanished between the scan and this page
        }
    }
}
