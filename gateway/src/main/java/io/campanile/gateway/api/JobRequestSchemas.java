package io.campanile.gateway.api;

import io.campanile.contracts.JobType;
import io.campanile.contracts.jobs.JobRequests;
import io.campanile.contracts.jobs.ParamSpec;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.media.Schema.SchemaType;

/**
 * Generates the OpenAPI schema of {@code POST /v1/jobs} from the job request records (libs/contracts
 * {@link JobRequests}): one object schema per job type ({@code SampleJob}, ...) with its fields' types, defaults,
 * bounds, choices and docs, and {@code JobRequest}, one of them chosen by {@code type}. Registered as
 * {@code mp.openapi.filter}, so the document cannot drift from what the gateway validates.
 */
public class JobRequestSchemas implements OASFilter {
    /** The component name of the request body schema. */
    public static final String REQUEST = "JobRequest";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        List<Schema> oneOf = new ArrayList<>();
        Schema discriminator = OASFactory.createSchema();
        for (JobType type : JobType.values()) {
            String name = schemaName(type);
            openAPI.getComponents().addSchema(name, typeSchema(type));
            oneOf.add(OASFactory.createSchema().ref("#/components/schemas/" + name));
        }
        discriminator.oneOf(oneOf).description("a job: 'type' chooses the fields (GET /v1/models lists the packs)");
        openAPI.getComponents().addSchema(REQUEST, discriminator);
    }

    /** {@code sample} -> {@code SampleJob}, {@code blur_denoise} -> {@code BlurDenoiseJob}. */
    static String schemaName(JobType type) {
        StringBuilder b = new StringBuilder();
        for (String part : type.wireName().split("_")) {
            b.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return b.append("Job").toString();
    }

    private static Schema typeSchema(JobType type) {
        Schema s = OASFactory.createSchema()
                .addType(SchemaType.OBJECT)
                .description(type.requestType().getSimpleName() + " (libs/contracts)");
        s.addProperty(
                "type", OASFactory.createSchema().addType(SchemaType.STRING).enumeration(List.of(type.wireName())));
        s.addProperty(
                "model",
                OASFactory.createSchema()
                        .addType(SchemaType.STRING)
                        .description("model pack id (GET /v1/models); the gateway's default pack when left out"));
        s.addProperty(
                "seed",
                OASFactory.createSchema()
                        .addType(SchemaType.INTEGER)
                        .format("int64")
                        .description("all randomness of the job derives from it; random when left out"));
        List<String> required = new ArrayList<>(List.of("type"));
        for (ParamSpec p : JobRequests.fields(type)) {
            s.addProperty(p.name(), field(p));
            if (p.required()) {
                required.add(p.name());
            }
        }
        return s.required(required);
    }

    private static Schema field(ParamSpec p) {
        Schema s = switch (p.kind()) {
            case IMAGE -> string().format("byte").description(p.description());
            case INT -> bounded(OASFactory.createSchema().addType(SchemaType.INTEGER), p);
            case NUMBER -> bounded(OASFactory.createSchema().addType(SchemaType.NUMBER), p);
            case BOOLEAN -> OASFactory.createSchema().addType(SchemaType.BOOLEAN);
            case STRING -> string();
            case CHOICE -> string().enumeration(new ArrayList<>(p.choices()));
            case PROMPT -> string().addType(SchemaType.INTEGER).maxLength(2000);
            case INT_LIST ->
                OASFactory.createSchema()
                        .addType(SchemaType.ARRAY)
                        .addType(SchemaType.INTEGER)
                        .items(bounded(OASFactory.createSchema().addType(SchemaType.INTEGER), p))
                        .maxItems(64);
            case STRING_LIST ->
                OASFactory.createSchema()
                        .addType(SchemaType.ARRAY)
                        .items(string())
                        .minItems(1)
                        .maxItems(64);
            case PROMPT_LIST ->
                OASFactory.createSchema()
                        .addType(SchemaType.ARRAY)
                        .items(string())
                        .minItems(2)
                        .maxItems(8);
            case TIMESTEPS ->
                string().addType(SchemaType.ARRAY)
                        .items(OASFactory.createSchema()
                                .addType(SchemaType.INTEGER)
                                .minimum(BigDecimal.ZERO))
                        .maxItems(1000);
        };
        s.description(p.description());
        if (p.defaultValue() != null) {
            s.defaultValue(p.defaultValue());
        }
        return s;
    }

    private static Schema string() {
        return OASFactory.createSchema().addType(SchemaType.STRING);
    }

    private static Schema bounded(Schema s, ParamSpec p) {
        if (p.min() != null) {
            s.minimum(BigDecimal.valueOf(p.min()));
        }
        if (p.max() != null) {
            s.maximum(BigDecimal.valueOf(p.max()));
        }
        return s;
    }
}
