package io.campanile.gateway.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.campanile.contracts.Json;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/** A digest of a JSON value that ignores the order of object fields, so equal requests hash equal. */
final class CanonicalJson {
    private CanonicalJson() {}

    static String sha256(JsonNode node) {
        try {
            byte[] canonical = Json.mapper().writeValueAsBytes(sorted(node));
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode sorted(JsonNode node) {
        if (node instanceof ObjectNode o) {
            Map<String, JsonNode> fields = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                fields.put(e.getKey(), sorted(e.getValue()));
            }
            ObjectNode out = Json.mapper().createObjectNode();
            fields.forEach(out::set);
            return out;
        }
        if (node instanceof ArrayNode a) {
            ArrayNode out = Json.mapper().createArrayNode();
            a.forEach(v -> out.add(sorted(v)));
            return out;
        }
        return node;
    }
}
