package io.campanile.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.campanile.contracts.Json;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Turns {@code key=value} arguments into a job request, each value typed by its field's kind as
 * {@code GET /v1/job-types} describes it: the gateway's schema is the only one, the CLI writes none of its own. Lists
 * are {@code a,b} or JSON ({@code [250,500]}), or the key repeated; prompt lists only JSON or the key repeated (a
 * prompt may hold commas); an image field takes a file name. A key the type does not have goes to the gateway as it
 * is, so that its 400 names the field.
 */
final class RequestBuilder {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private final Map<String, String> kinds = new HashMap<>();
    private final ObjectNode request = NODES.objectNode();

    /** A builder for the job type {@code type} as the gateway lists it ({@code {"type", "summary", "fields"}}). */
    RequestBuilder(JsonNode type) {
        request.put("type", type.path("type").asText());
        for (JsonNode f : type.path("fields")) {
            kinds.put(f.path("name").asText(), f.path("kind").asText());
        }
        kinds.put("model", "string");
        kinds.put("seed", "int");
    }

    /** Adds one {@code key=value} argument. */
    RequestBuilder add(String assignment) {
        int eq = assignment.indexOf('=');
        if (eq <= 0) {
            throw CliException.usage("'" + assignment + "' is not key=value");
        }
        return set(assignment.substring(0, eq).strip(), assignment.substring(eq + 1));
    }

    /** Sets field {@code key} from its text form (an image field: from the file named {@code value}). */
    RequestBuilder set(String key, String value) {
        String kind = kinds.get(key);
        JsonNode node = kind == null ? guess(value) : typed(key, kind, value);
        JsonNode old = request.get(key);
        if (old == null) {
            request.set(key, node);
        } else if (old.isArray() && node.isArray() && kind != null && kind.endsWith("list")) {
            ((ArrayNode) old).addAll((ArrayNode) node);
        } else {
            throw CliException.usage("field '" + key + "' given twice");
        }
        return this;
    }

    ObjectNode request() {
        return request;
    }

    private static JsonNode typed(String key, String kind, String value) {
        String v = value.strip();
        try {
            return switch (kind) {
                case "int" -> NODES.numberNode(Long.parseLong(v));
                case "number" -> NODES.numberNode(new BigDecimal(v));
                case "boolean" -> NODES.booleanNode(bool(key, v));
                case "int_list" -> v.startsWith("[") ? array(key, v, JsonNode::isIntegralNumber) : ints(v);
                case "string_list" -> v.startsWith("[") ? array(key, v, JsonNode::isTextual) : strings(v);
                case "prompt_list" ->
                    value.startsWith("[")
                            ? array(key, value, JsonNode::isTextual)
                            : NODES.arrayNode().add(value);
                case "timesteps" ->
                    v.startsWith("[")
                            ? array(key, v, JsonNode::isIntegralNumber)
                            : v.matches("[0-9][0-9, ]*") ? ints(v) : NODES.textNode(v);
                case "image" -> NODES.textNode(image(key, value));
                default -> NODES.textNode(value); // prompt, string, choice: the text as typed
            };
        } catch (NumberFormatException e) {
            throw CliException.usage("field '" + key + "' (" + kind + "): '" + value + "' is not "
                    + (kind.startsWith("int") || kind.equals("timesteps") ? "an integer" : "a number")
                    + (kind.endsWith("list") || kind.equals("timesteps") ? " list (a,b or [a,b])" : ""));
        }
    }

    private static boolean bool(String key, String v) {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw CliException.usage("field '" + key + "' (boolean): '" + v + "' is not true or false");
        };
    }

    private static ArrayNode ints(String v) {
        ArrayNode a = NODES.arrayNode();
        for (String s : v.split(",")) {
            a.add(Long.parseLong(s.strip()));
        }
        return a;
    }

    private static ArrayNode strings(String v) {
        ArrayNode a = NODES.arrayNode();
        for (String s : v.split(",")) {
            a.add(s.strip());
        }
        return a;
    }

    private static ArrayNode array(String key, String json, Predicate<JsonNode> element) {
        JsonNode n = parse(json);
        if (n == null || !n.isArray()) {
            throw CliException.usage("field '" + key + "': '" + json + "' is not a JSON list");
        }
        for (JsonNode e : n) {
            if (!element.test(e)) {
                throw CliException.usage("field '" + key + "': " + e + " in " + json + " has the wrong type");
            }
        }
        return (ArrayNode) n;
    }

    private static String image(String key, String file) {
        Path p = Path.of(file);
        try {
            return Base64.getEncoder().encodeToString(Files.readAllBytes(p));
        } catch (IOException e) {
            throw CliException.usage("field '" + key + "': cannot read the image file '" + file + "': " + e);
        }
    }

    /** An unknown key's value: JSON when it reads as JSON (numbers, booleans, lists), else the text. */
    private static JsonNode guess(String value) {
        JsonNode n = parse(value);
        return n == null || n.isMissingNode() ? NODES.textNode(value) : n;
    }

    private static JsonNode parse(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (IOException e) {
            return null;
        }
    }
}
