package io.campanile.gateway.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.campanile.contracts.ParamSpec;
import io.campanile.gateway.api.ApiProblem;

/** Type and bound checks of one non-image request field against its {@link ParamSpec}. */
final class ParamChecks {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final int MAX_LIST = 64;

    private ParamChecks() {
    }

    /** The normalised value, or a 400 naming the field. */
    static JsonNode check(ParamSpec spec, JsonNode value) {
        return switch (spec.kind()) {
            case INT -> F.numberNode(integer(spec, spec.name(), value));
            case NUMBER -> F.numberNode(number(spec, spec.name(), value));
            case STRING -> {
                if (!value.isTextual()) {
                    throw ApiProblem.badField(spec.name(), "'" + spec.name() + "' must be a string");
                }
                yield value;
            }
            case INT_LIST -> intList(spec, value);
            case IMAGE -> throw new IllegalArgumentException("images are checked by ImageInputChecker");
        };
    }

    private static ArrayNode intList(ParamSpec spec, JsonNode value) {
        ArrayNode out = F.arrayNode();
        if (value.isIntegralNumber()) {
            return out.add(integer(spec, spec.name(), value));
        }
        if (!value.isArray() || value.isEmpty() || value.size() > MAX_LIST) {
            throw ApiProblem.badField(spec.name(), "'" + spec.name() + "' must be an integer or a list of 1 to "
                    + MAX_LIST + " integers");
        }
        for (int i = 0; i < value.size(); i++) {
            out.add(integer(spec, spec.name() + "[" + i + "]", value.get(i)));
        }
        return out;
    }

    private static long integer(ParamSpec spec, String field, JsonNode v) {
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw ApiProblem.badField(field, "'" + field + "' must be an integer");
        }
        long x = v.longValue();
        bounds(spec, field, x);
        if (spec.odd() && x % 2 == 0) {
            throw ApiProblem.badField(field, "'" + field + "' must be odd, was " + x);
        }
        return x;
    }

    private static double number(ParamSpec spec, String field, JsonNode v) {
        if (!v.isNumber() || !Double.isFinite(v.doubleValue())) {
            throw ApiProblem.badField(field, "'" + field + "' must be a finite number");
        }
        bounds(spec, field, v.doubleValue());
        return v.doubleValue();
    }

    private static void bounds(ParamSpec spec, String field, double x) {
        if ((spec.min() != null && x < spec.min()) || (spec.max() != null && x > spec.max())) {
            throw ApiProblem.badField(field, "'" + field + "' is " + fmt(x) + ", outside [" + fmt(spec.min())
                    + ", " + fmt(spec.max()) + "]");
        }
    }

    private static String fmt(Double d) {
        if (d == null) {
            return "-inf";
        }
        return d == Math.rint(d) ? String.valueOf(d.longValue()) : String.valueOf(d);
    }
}
