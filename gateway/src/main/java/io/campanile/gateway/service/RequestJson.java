package io.campanile.gateway.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.campanile.contracts.Json;

/**
 * Parses request bodies with tighter bounds than Jackson's defaults (1000 levels, 1000-digit numbers): a request
 * nests two levels (an object of lists) and its numbers are at most 64-bit, so 32 levels and 400-character numbers
 * leave room and stop a hostile document early. Anything after the document is an error too (Jackson would ignore
 * it). A body that breaks them is a 400 naming {@code body}.
 */
public final class RequestJson {
    /** The deepest nesting of objects and arrays a request body may have. */
    public static final int MAX_DEPTH = 32;

    private static final ObjectMapper MAPPER = mapper();

    private RequestJson() {}

    private static ObjectMapper mapper() {
        ObjectMapper m = Json.mapper().copy().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        m.getFactory()
                .setStreamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_DEPTH)
                        .maxNumberLength(400)
                        .build());
        return m;
    }

    /** The body as JSON (any kind), or a 400 naming {@code body} when it is missing or malformed. */
    public static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            throw new InvalidRequestException("body", "the request body must be a JSON object");
        }
        try {
            return MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException("body", "malformed JSON: " + e.getOriginalMessage());
        }
    }

    /** The body as a JSON object, or a 400 naming {@code body}. */
    public static ObjectNode object(String body) {
        if (parse(body) instanceof ObjectNode o) {
            return o;
        }
        throw new InvalidRequestException("body", "the request body must be a JSON object");
    }
}
