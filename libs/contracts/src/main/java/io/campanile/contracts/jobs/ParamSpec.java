package io.campanile.contracts.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One request field of a job type: its JSON name, kind, default and bounds. The gateway validates requests
 * against these specs and fills in defaults; workers receive them as the typed record the specs are derived from ({@link JobRequests}).
 *
 * @param name the JSON field name
 * @param kind what the value is
 * @param required whether the request must carry it (a required field has no default)
 * @param defaultValue the default when absent, or null
 * @param min lower bound (inclusive) of numbers and of every list element, or null
 * @param max upper bound (inclusive), or null
 * @param odd whether integers must be odd (kernel sizes)
 * @param description one line for the API docs
 * @param choices the allowed values of a {@link Kind#CHOICE} field, else empty
 */
public record ParamSpec(
        String name,
        Kind kind,
        boolean required,
        JsonNode defaultValue,
        Double min,
        Double max,
        boolean odd,
        String description,
        List<String> choices) {

    public ParamSpec(
            String name,
            Kind kind,
            boolean required,
            JsonNode defaultValue,
            Double min,
            Double max,
            boolean odd,
            String description) {
        this(name, kind, required, defaultValue, min, max, odd, description, List.of());
    }

    /** Whether the field holds prompt text (or, for class-conditioned models, a class label). */
    public boolean isPrompt() {
        return kind == Kind.PROMPT || kind == Kind.PROMPT_LIST;
    }

    /** The kinds of value a job field can hold. */
    public enum Kind {
        /** Base64 PNG or JPEG; travels as a blob reference. */
        IMAGE,
        INT,
        INT_LIST,
        NUMBER,
        STRING,
        BOOLEAN,
        /** One of {@link ParamSpec#choices()}. */
        CHOICE,
        /** A list of strings. */
        STRING_LIST,
        /** A prompt for T5-conditioned models, or a class label ("7" or 7) for class-conditioned ones. */
        PROMPT,
        /** A list of {@link #PROMPT}s. */
        PROMPT_LIST,
        /** A diffusion timestep list: a name (smart27, ...), or an explicit strictly decreasing integer list. */
        TIMESTEPS
    }
}
