package io.campanile.contracts;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One request field of a job type: its JSON name, kind, default and bounds. The gateway validates requests
 * against these specs and fills in defaults; workers read the defaulted fields by the same names.
 *
 * @param name the JSON field name
 * @param kind what the value is
 * @param required whether the request must carry it (a required field has no default)
 * @param defaultValue the default when absent, or null
 * @param min lower bound (inclusive) of numbers and of every list element, or null
 * @param max upper bound (inclusive), or null
 * @param odd whether integers must be odd (kernel sizes)
 * @param description one line for the API docs
 */
public record ParamSpec(String name, Kind kind, boolean required, JsonNode defaultValue, Double min, Double max,
        boolean odd, String description) {

    /** The kinds of value a job field can hold. */
    public enum Kind {
        /** Base64 PNG or JPEG; travels as a blob reference. */
        IMAGE,
        INT,
        INT_LIST,
        NUMBER,
        STRING
    }
}
