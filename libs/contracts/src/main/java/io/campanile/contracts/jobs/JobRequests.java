package io.campanile.contracts.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.campanile.contracts.BlobRef;
import io.campanile.contracts.JobType;
import io.campanile.contracts.Json;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The job request records and what is derived from them: each type's {@link ParamSpec}s (names, kinds, defaults,
 * bounds, docs) read from the record components and their {@link Param} annotations, the checks of a client's
 * request, and the mapping between a record and the {@code params} object a job carries on the wire.
 */
public final class JobRequests {
    /** Largest training timestep index of the IF schedules (1000 steps); the model's own T is checked too. */
    public static final double MAX_T = 999;
    /** The longest prompt, in characters (also the bound of {@code POST /v1/tokenize}'s text). */
    public static final int MAX_PROMPT_CHARS = 2000;
    /** The longest other string field (a model id), in characters. */
    public static final int MAX_STRING_CHARS = 200;
    /** The prompt of the writeup's denoising and SDEdit experiments. */
    public static final String QUALITY_PROMPT = "a high quality photo";

    /** Request JSON uses snake_case names for the records' camelCase components. */
    private static final ObjectMapper MAPPER =
            Json.mapper().copy().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    private static final Map<JobType, List<ParamSpec>> FIELDS = new EnumMap<>(JobType.class);

    static {
        for (JobType type : JobType.values()) {
            FIELDS.put(
                    type,
                    Arrays.stream(type.requestType().getRecordComponents())
                            .map(JobRequests::spec)
                            .toList());
        }
    }

    /**
     * A request that passed {@link #check}: its non-image fields normalised with defaults filled in, and its image
     * fields as the client sent them (the gateway decodes and stores those).
     */
    public record Checked(ObjectNode params, Map<String, JsonNode> images) {}

    private JobRequests() {}

    /** The fields of a job type, in documentation order. */
    public static List<ParamSpec> fields(JobType type) {
        return FIELDS.get(type);
    }

    /** The JSON name of a record component: its name in snake_case. */
    public static String wireName(String componentName) {
        StringBuilder b = new StringBuilder();
        for (char ch : componentName.toCharArray()) {
            if (Character.isUpperCase(ch)) {
                b.append('_').append(Character.toLowerCase(ch));
            } else {
                b.append(ch);
            }
        }
        return b.toString();
    }

    /**
     * Checks a client's request against the type's fields: unknown fields, required fields, types and bounds; fills
     * in defaults, then the defaults that depend on other fields ({@link JobRequest#withDefaults}).
     *
     * @param common the fields every request may carry besides the type's own ({@code type}, {@code model}, ...)
     * @throws InvalidFieldException naming the first field in error
     */
    public static Checked check(JobType type, ObjectNode request, Set<String> common) {
        List<ParamSpec> fields = fields(type);
        request.fieldNames().forEachRemaining(name -> {
            if (!common.contains(name)
                    && fields.stream().noneMatch(p -> p.name().equals(name))) {
                throw new InvalidFieldException(
                        name,
                        "unknown field '" + name + "' for type " + type.wireName() + "; fields: "
                                + fields.stream().map(ParamSpec::name).collect(Collectors.joining(", ")));
            }
        });
        ObjectNode params = MAPPER.createObjectNode();
        Map<String, JsonNode> images = new LinkedHashMap<>();
        for (ParamSpec spec : fields) {
            JsonNode value = request.get(spec.name());
            if (value == null || value.isNull()) {
                if (spec.required()) {
                    throw new InvalidFieldException(
                            spec.name(), "'" + spec.name() + "' is required for type " + type.wireName());
                }
                if (spec.defaultValue() != null) {
                    params.set(spec.name(), spec.defaultValue().deepCopy());
                }
            } else if (spec.kind() == ParamSpec.Kind.IMAGE) {
                images.put(spec.name(), value);
            } else {
                params.set(spec.name(), FieldChecks.check(spec, value));
            }
        }
        return new Checked(params(read(type, params, Map.of()).withDefaults()), images);
    }

    /** The typed request of a job: its params, with each image field set to the blob of the same name. */
    public static JobRequest read(JobType type, ObjectNode params, Map<String, BlobRef> inputs) {
        ObjectNode all = params == null ? MAPPER.createObjectNode() : params.deepCopy();
        for (RecordComponent c : type.requestType().getRecordComponents()) {
            String name = wireName(c.getName());
            if (c.getType() == BlobRef.class && inputs != null && inputs.containsKey(name)) {
                all.set(name, MAPPER.valueToTree(inputs.get(name)));
            }
        }
        try {
            return MAPPER.treeToValue(all, type.requestType());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "the fields of this " + type.wireName() + " job do not fit its type: " + e.getOriginalMessage());
        }
    }

    /** The {@code params} object of a request: every non-null field except images (which travel as inputs). */
    public static ObjectNode params(JobRequest request) {
        ObjectNode out = MAPPER.valueToTree(request);
        for (RecordComponent c : request.getClass().getRecordComponents()) {
            String name = wireName(c.getName());
            if (c.getType() == BlobRef.class || out.path(name).isNull()) {
                out.remove(name);
            }
        }
        return out;
    }

    /** A type's record with every default filled in (required fields null). */
    public static <R extends JobRequest> R defaults(Class<R> type) {
        ObjectNode d = MAPPER.createObjectNode();
        JobType t = typeOf(type);
        fields(t).stream().filter(p -> p.defaultValue() != null).forEach(p -> d.set(p.name(), p.defaultValue()));
        return type.cast(read(t, d, Map.of()));
    }

    /** The job type whose request record this is. */
    public static JobType typeOf(Class<? extends JobRequest> record) {
        return Arrays.stream(JobType.values())
                .filter(t -> t.requestType() == record)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(record.getName() + " is no job type's request"));
    }

    private static ParamSpec spec(RecordComponent c) {
        Param p = c.getAnnotation(Param.class);
        if (p == null) {
            throw new IllegalStateException(
                    c.getDeclaringRecord().getSimpleName() + "." + c.getName() + " has no @Param");
        }
        JsonNode dflt;
        try {
            dflt = p.dflt().isEmpty() ? null : MAPPER.readTree(p.dflt());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("default of " + c.getName() + " is not JSON: " + p.dflt(), e);
        }
        ParamSpec.Kind kind = kind(c, p);
        List<String> choices = kind == ParamSpec.Kind.CHOICE
                ? Arrays.stream(c.getType().getEnumConstants())
                        .map(e -> ((Choice) e).wireName())
                        .toList()
                : List.of();
        return new ParamSpec(
                wireName(c.getName()),
                kind,
                p.required(),
                dflt,
                Double.isNaN(p.min()) ? null : p.min(),
                Double.isNaN(p.max()) ? null : p.max(),
                p.odd(),
                p.doc(),
                choices);
    }

    private static ParamSpec.Kind kind(RecordComponent c, Param p) {
        Class<?> t = c.getType();
        if (t == BlobRef.class) {
            return ParamSpec.Kind.IMAGE;
        } else if (t == int.class || t == Integer.class) {
            return ParamSpec.Kind.INT;
        } else if (t == double.class || t == Double.class) {
            return ParamSpec.Kind.NUMBER;
        } else if (t == boolean.class || t == Boolean.class) {
            return ParamSpec.Kind.BOOLEAN;
        } else if (t == String.class) {
            return p.prompt() ? ParamSpec.Kind.PROMPT : ParamSpec.Kind.STRING;
        } else if (t == TimestepSpec.class) {
            return ParamSpec.Kind.TIMESTEPS;
        } else if (t.isEnum() && Choice.class.isAssignableFrom(t)) {
            return ParamSpec.Kind.CHOICE;
        } else if (t == List.class && c.getGenericType() instanceof ParameterizedType pt) {
            Object element = pt.getActualTypeArguments()[0];
            if (element == Integer.class) {
                return ParamSpec.Kind.INT_LIST;
            } else if (element == String.class) {
                return p.prompt() ? ParamSpec.Kind.PROMPT_LIST : ParamSpec.Kind.STRING_LIST;
            }
        }
        throw new IllegalStateException("no field kind for "
                + c.getDeclaringRecord().getSimpleName() + "." + c.getName() + " of type " + c.getGenericType());
    }
}
