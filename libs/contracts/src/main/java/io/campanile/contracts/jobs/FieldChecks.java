package io.campanile.contracts.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * Type and bound checks of one non-image request field against its {@link ParamSpec}; a problem is an
 * {@link InvalidFieldException} naming the field (the gateway answers 400 with it).
 */
final class FieldChecks {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final int MAX_LIST = 64;

    private FieldChecks() {}

    /** The normalised value, or an {@link InvalidFieldException} naming the field. */
    static JsonNode check(ParamSpec spec, JsonNode value) {
        return switch (spec.kind()) {
            case INT -> F.numberNode(integer(spec, spec.name(), value));
            case NUMBER -> F.numberNode(number(spec, spec.name(), value));
            case STRING -> {
                if (!value.isTextual()) {
                    throw new InvalidFieldException(spec.name(), "'" + spec.name() + "' must be a string");
                }
                if (value.asText().length() > JobRequests.MAX_STRING_CHARS) {
                    throw new InvalidFieldException(
                            spec.name(),
                            "'" + spec.name() + "' is longer than " + JobRequests.MAX_STRING_CHARS + " characters");
                }
                yield value;
            }
            case INT_LIST -> intList(spec, value);
            case BOOLEAN -> {
                if (!value.isBoolean()) {
                    throw new InvalidFieldException(spec.name(), "'" + spec.name() + "' must be true or false");
                }
                yield value;
            }
            case CHOICE -> {
                if (!value.isTextual() || !spec.choices().contains(value.asText())) {
                    throw new InvalidFieldException(
                            spec.name(), "'" + spec.name() + "' must be one of " + String.join(", ", spec.choices()));
                }
                yield value;
            }
            case STRING_LIST -> stringList(spec.name(), value, 1);
            case PROMPT -> prompt(spec.name(), value);
            case PROMPT_LIST -> {
                if (!value.isArray() || value.size() < 2 || value.size() > 8) {
                    throw new InvalidFieldException(
                            spec.name(), "'" + spec.name() + "' must be a list of 2 to 8 prompts");
                }
                ArrayNode out = F.arrayNode();
                for (int i = 0; i < value.size(); i++) {
                    out.add(prompt(spec.name() + "[" + i + "]", value.get(i)));
                }
                yield out;
            }
            case TIMESTEPS -> timesteps(spec.name(), value);
            case IMAGE -> throw new IllegalArgumentException("images are checked by ImageInputChecker");
        };
    }

    /** A prompt is text; an integer is a class label and becomes its text ("7"). */
    private static JsonNode prompt(String field, JsonNode value) {
        if (value.isTextual()) {
            if (value.asText().length() > JobRequests.MAX_PROMPT_CHARS) {
                throw new InvalidFieldException(
                        field, "'" + field + "' is longer than " + JobRequests.MAX_PROMPT_CHARS + " characters");
            }
            return value;
        }
        if (value.isIntegralNumber() && value.canConvertToInt()) {
            return F.textNode(String.valueOf(value.intValue()));
        }
        throw new InvalidFieldException(field, "'" + field + "' must be a string (or a class label)");
    }

    private static ArrayNode stringList(String field, JsonNode value, int min) {
        if (!value.isArray() || value.size() < min || value.size() > MAX_LIST) {
            throw new InvalidFieldException(
                    field, "'" + field + "' must be a list of " + min + " to " + MAX_LIST + " strings");
        }
        ArrayNode out = F.arrayNode();
        for (int i = 0; i < value.size(); i++) {
            if (!value.get(i).isTextual()) {
                throw new InvalidFieldException(field + "[" + i + "]", "'" + field + "[" + i + "]' must be a string");
            }
            out.add(value.get(i));
        }
        return out;
    }

    /** A timestep list name (checked against the model later) or a strictly decreasing list of integers >= 0. */
    private static JsonNode timesteps(String field, JsonNode value) {
        if (value.isTextual()) {
            return value;
        }
        if (!value.isArray() || value.isEmpty() || value.size() > 1000) {
            throw new InvalidFieldException(
                    field,
                    "'" + field + "' must be a name such as smart50 or a list of 1 to 1000"
                            + " strictly decreasing timesteps");
        }
        ArrayNode out = F.arrayNode();
        long previous = Long.MAX_VALUE;
        for (int i = 0; i < value.size(); i++) {
            JsonNode v = value.get(i);
            if (!v.isIntegralNumber() || v.longValue() < 0 || v.longValue() >= previous) {
                throw new InvalidFieldException(
                        field + "[" + i + "]", "'" + field + "' must be strictly decreasing" + " integers >= 0");
            }
            previous = v.longValue();
            out.add(previous);
        }
        return out;
    }

    private static ArrayNode intList(ParamSpec spec, JsonNode value) {
        ArrayNode out = F.arrayNode();
        if (value.isIntegralNumber()) {
            return out.add(integer(spec, spec.name(), value));
        }
        if (!value.isArray() || value.isEmpty() || value.size() > MAX_LIST) {
            throw new InvalidFieldException(
                    spec.name(),
                    "'" + spec.name() + "' must be an integer or a list of 1 to " + MAX_LIST + " integers");
        }
        for (int i = 0; i < value.size(); i++) {
            out.add(integer(spec, spec.name() + "[" + i + "]", value.get(i)));
        }
        return out;
    }

    private static long integer(ParamSpec spec, String field, JsonNode v) {
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new InvalidFieldException(field, "'" + field + "' must be an integer");
        }
        long x = v.longValue();
        bounds(spec, field, x);
        if (spec.odd() && x % 2 == 0) {
            throw new InvalidFieldException(field, "'" + field + "' must be odd, was " + x);
        }
        return x;
    }

    private static double number(ParamSpec spec, String field, JsonNode v) {
        if (!v.isNumber() || !Double.isFinite(v.doubleValue())) {
            throw new InvalidFieldException(field, "'" + field + "' must be a finite number");
        }
        bounds(spec, field, v.doubleValue());
        return v.doubleValue();
    }

    private static void bounds(ParamSpec spec, String field, double x) {
        if ((spec.min() != null && x < spec.min()) || (spec.max() != null && x > spec.max())) {
            throw new InvalidFieldException(
                    field,
                    "'" + field + "' is " + fmt(x) + ", outside [" + fmt(spec.min()) + ", " + fmt(spec.max()) + "]");
        }
    }

    private static String fmt(Double d) {
        if (d == null) {
            return "-inf";
        }
        return d == Math.rint(d) ? String.valueOf(d.longValue()) : String.valueOf(d);
    }
}
