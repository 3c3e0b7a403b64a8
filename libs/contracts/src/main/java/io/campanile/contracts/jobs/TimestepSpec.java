package io.campanile.contracts.jobs;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code timesteps} field as the client wrote it: a list name ({@code smart50}) or an explicit strictly decreasing
 * list. The engine resolves it against the model's schedule ({@code Timesteps.resolve}).
 *
 * @param name the list name, or null for an explicit list
 * @param values the explicit list, or null for a name
 */
public record TimestepSpec(String name, List<Integer> values) {

    public TimestepSpec {
        if ((name == null) == (values == null)) {
            throw new IllegalArgumentException("a timestep list is a name or a list of values");
        }
        values = values == null ? null : List.copyOf(values);
    }

    /** A named list (smart27, smart50, ...). */
    public static TimestepSpec named(String name) {
        return new TimestepSpec(name, null);
    }

    /** An explicit list. */
    public static TimestepSpec of(List<Integer> values) {
        return new TimestepSpec(null, values);
    }

    /**
     * A job sets its timesteps one way: a list ({@code timesteps}) or diffusers' step count
     * ({@code num_inference_steps}).
     *
     * @throws InvalidFieldException naming num_inference_steps when both are set
     */
    public static void exclusive(TimestepSpec timesteps, Integer numInferenceSteps) {
        if (timesteps != null && numInferenceSteps != null) {
            throw new InvalidFieldException("num_inference_steps", "give timesteps or num_inference_steps, not both");
        }
    }

    /** Reads the JSON form: a string, or an array of integers. */
    @JsonCreator
    public static TimestepSpec fromJson(JsonNode node) {
        if (node.isTextual()) {
            return named(node.asText());
        }
        List<Integer> list = new ArrayList<>();
        node.forEach(v -> list.add(v.asInt()));
        return of(list);
    }

    /** The JSON form. */
    @JsonValue
    public JsonNode toJson() {
        if (name != null) {
            return TextNode.valueOf(name);
        }
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        values.forEach(a::add);
        return a;
    }
}
