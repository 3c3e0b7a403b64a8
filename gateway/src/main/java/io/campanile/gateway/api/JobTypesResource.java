package io.campanile.gateway.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.campanile.contracts.JobType;
import io.campanile.contracts.jobs.JobRequests;
import io.campanile.contracts.jobs.ParamSpec;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The job types and their fields, from the one job schema (the request records of libs/contracts, as
 * {@link JobRequestSchemas} puts them in the OpenAPI document): what the dashboard's forms and the CLI are built from.
 */
@Path("/v1/job-types")
@Produces(MediaType.APPLICATION_JSON)
public class JobTypesResource {

    /**
     * One job type.
     *
     * @param type the wire name ({@code "type"} of a request)
     * @param summary one line on what it does
     * @param fields its request fields besides type, model and seed, in documentation order
     */
    public record JobTypeView(String type, String summary, List<FieldView> fields) {
        static JobTypeView of(JobType t) {
            return new JobTypeView(
                    t.wireName(),
                    t.summary(),
                    JobRequests.fields(t).stream().map(FieldView::of).toList());
        }
    }

    /**
     * One field.
     *
     * @param name the JSON name
     * @param kind image, int, int_list, number, string, boolean, choice, string_list, prompt, prompt_list, timesteps
     * @param required whether a request must carry it
     * @param defaultValue the default, or null
     * @param minimum the inclusive lower bound of a number (and of each list element), or null
     * @param maximum the inclusive upper bound, or null
     * @param odd whether an integer must be odd
     * @param description one line of help
     * @param choices the values of a choice field
     */
    public record FieldView(
            String name,
            String kind,
            boolean required,
            @JsonProperty("default") JsonNode defaultValue,
            Double minimum,
            Double maximum,
            boolean odd,
            String description,
            List<String> choices) {
        static FieldView of(ParamSpec p) {
            return new FieldView(
                    p.name(),
                    p.kind().name().toLowerCase(Locale.ROOT),
                    p.required(),
                    p.defaultValue(),
                    p.min(),
                    p.max(),
                    p.odd(),
                    p.description(),
                    p.choices());
        }
    }

    @GET
    @Operation(
            summary = "List the job types",
            description = "Each type with its fields, defaults, bounds and help; the same schema as POST /v1/jobs")
    public List<JobTypeView> list() {
        return Arrays.stream(JobType.values()).map(JobTypeView::of).toList();
    }

    @GET
    @Path("/{type}")
    @Operation(summary = "One job type")
    public JobTypeView get(@PathParam("type") String type) {
        return Arrays.stream(JobType.values())
                .filter(t -> t.wireName().equals(type))
                .findFirst()
                .map(JobTypeView::of)
                .orElseThrow(() -> ApiProblem.notFound("no job type '" + type + "'"));
    }
}
