package io.campanile.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Bodies of {@code POST /v1/jobs} and {@code POST /v1/tokenize} for the abuse suite, built from the job types the
 * gateway describes ({@code GET /v1/job-types}): a plausible request of a type, then a mutation that makes it invalid
 * whatever the rest says (an unknown field, a hostile type, a field of the wrong kind or out of bounds, a refused
 * image, a missing required field, a hostile seed or model, a malformed document).
 */
final class HostileBodies {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Strings that are no type, choice or model: unicode of every kind, markup, injection, control characters. */
    static final List<String> STRINGS = List.of(
            "",
            " ",
            "\u0000",
            "null",
            "forward\u0000",
            "FORWARD",
            "f\u200borward",
            "\u202eforward",
            "\ud83d\ude00\ud83d\ude00",
            "\ud800",
            "\u00e9\u0301\u0327",
            "<script>alert(1)</script>",
            "' OR 1=1 --",
            "../../../../etc/passwd",
            "%00%2e%2e",
            "${jndi:ldap://x/a}",
            "\\u0000",
            "\r\n\r\nHTTP/1.1 200 OK",
            "x".repeat(5000));

    private final Random random;
    private final JsonNode jobTypes;
    private final String smallImage;
    private final List<String> refusedImages = HostileImages.refused();
    private final String metadataBomb = HostileImages.metadataBomb();

    HostileBodies(Random random, JsonNode jobTypes, String smallImage) {
        this.random = random;
        this.jobTypes = jobTypes;
        this.smallImage = smallImage;
    }

    /** A forward job the gateway must accept (one in ten with a metadata bomb in its image, never inflated). */
    String validForward() {
        String image = random.nextInt(10) == 0 ? metadataBomb : smallImage;
        ObjectNode r = F.objectNode().put("type", "forward").put("image", image);
        r.putArray("t").add(1 + random.nextInt(999));
        if (random.nextBoolean()) {
            r.put("seed", random.nextLong() & Long.MAX_VALUE);
        }
        return r.toString();
    }

    /** A job request that is invalid for sure. */
    String invalidJob() {
        JsonNode type = jobTypes.get(random.nextInt(jobTypes.size()));
        ObjectNode r = plausible(type);
        switch (random.nextInt(9)) {
            case 0 -> r.set("zz_" + random.nextInt(1000), anyValue());
            case 1 -> r.set("type", random.nextBoolean() ? F.textNode(pick(STRINGS)) : anyValue());
            case 2, 3 -> wrongField(r, type);
            case 4 -> {
                JsonNode image = imageField(type);
                if (image == null) {
                    r.set("zz_image", F.textNode(pick(refusedImages)));
                } else {
                    r.put(image.get("name").asText(), pick(refusedImages));
                }
            }
            case 5 ->
                r.set(
                        "seed",
                        pick(List.of(
                                F.numberNode(1.5),
                                F.textNode("7"),
                                F.numberNode(1e30),
                                F.arrayNode(),
                                F.booleanNode(true),
                                JSON.createObjectNode(),
                                bigInteger())));
            case 6 ->
                r.set(
                        "model",
                        random.nextBoolean()
                                ? F.textNode("m".repeat(201 + random.nextInt(5000)))
                                : pick(List.of(F.numberNode(7), F.arrayNode(), F.objectNode(), F.booleanNode(false))));
            case 7 -> {
                JsonNode required = requiredField(type);
                r.remove(required == null ? "type" : required.get("name").asText());
                if (required == null) {
                    r.set("zz_missing", F.nullNode());
                }
            }
            default -> {
                return malformed(r.toString());
            }
        }
        return r.toString();
    }

    /** A tokenize body, and whether it is valid (200). */
    Probe tokenize() {
        ObjectNode r = F.objectNode();
        boolean valid = false;
        switch (random.nextInt(6)) {
            case 0 -> {
                r.put("text", "a" + " ".repeat(random.nextInt(1998)) + "a");
                valid = true;
            }
            case 1 -> r.put("text", "a" + " ".repeat(2000 + random.nextInt(40_000)) + "a");
            case 2 -> {
                r.put("text", "<extra_id_".repeat(1 + random.nextInt(199)));
                valid = true;
            }
            case 3 -> r.set("text", anyValue());
            case 4 -> {
                r.put("text", "a dog");
                r.set("model", random.nextBoolean() ? F.textNode(pick(STRINGS)) : anyValue());
            }
            default -> {
                return Probe.json("POST /v1/tokenize", "/v1/tokenize", malformed("{\"text\":\"a dog\"}"), false);
            }
        }
        return Probe.json("POST /v1/tokenize", "/v1/tokenize", r.toString(), valid);
    }

    /** A request of the type with its required fields filled in plausibly (valid or not: the mutation decides). */
    private ObjectNode plausible(JsonNode type) {
        ObjectNode r = F.objectNode().put("type", type.get("type").asText());
        for (JsonNode f : type.get("fields")) {
            if (f.get("required").asBoolean() || random.nextInt(4) == 0) {
                r.set(f.get("name").asText(), plausibleValue(f));
            }
        }
        return r;
    }

    private JsonNode plausibleValue(JsonNode field) {
        return switch (field.get("kind").asText()) {
            case "image" -> F.textNode(smallImage);
            case "prompt" -> F.textNode("a photo of a dog");
            case "prompt_list" -> F.arrayNode().add("a dog").add("a cat");
            default ->
                field.get("default") == null || field.get("default").isNull() ? F.numberNode(1) : field.get("default");
        };
    }

    /** One field of the type set to a value of the wrong kind or out of its bounds. */
    private void wrongField(ObjectNode r, JsonNode type) {
        JsonNode fields = type.get("fields");
        if (fields.isEmpty()) {
            r.set("zz_none", F.numberNode(1));
            return;
        }
        JsonNode f = fields.get(random.nextInt(fields.size()));
        String name = f.get("name").asText();
        List<JsonNode> bad = new ArrayList<>(List.of(JSON.createObjectNode()));
        String kind = f.get("kind").asText();
        if (List.of("int", "number", "boolean", "int_list", "image", "choice").contains(kind)) {
            bad.add(F.textNode(pick(STRINGS))); // a string is a valid prompt, model id or timestep list name
        }
        if (!kind.equals("number")) { // a number field without a bound takes any finite number
            bad.add(bigInteger());
            bad.add(F.numberNode(1e300));
        }
        switch (kind) {
            case "int", "number" -> {
                if (f.hasNonNull("maximum")) {
                    bad.add(F.numberNode(f.get("maximum").asDouble() + 1));
                }
                if (f.hasNonNull("minimum")) {
                    bad.add(F.numberNode(f.get("minimum").asDouble() - 1));
                }
            }
            case "prompt" -> bad.add(F.textNode("p".repeat(2001 + random.nextInt(50_000))));
            case "prompt_list" -> bad.add(F.arrayNode().add("only one"));
            case "image" -> bad.add(F.textNode(pick(refusedImages)));
            case "choice", "string" -> bad.add(F.textNode("s".repeat(201)));
            case "int_list", "string_list", "timesteps" -> bad.add(longList());
            default -> bad.add(F.numberNode(3));
        }
        bad.add(F.arrayNode().add(F.objectNode()));
        r.set(name, pick(bad));
    }

    /** A malformed document made from a request (truncated, deep, not JSON, NaN, trailing garbage...). */
    private String malformed(String json) {
        return switch (random.nextInt(10)) {
            case 0 -> json.substring(0, random.nextInt(json.length()));
            case 1 -> "[".repeat(50 + random.nextInt(5000)) + "]".repeat(10);
            case 2 -> "{\"type\":\"forward\",\"t\":" + "[".repeat(40) + "1" + "]".repeat(40) + "}";
            case 3 -> "{\"type\":\"forward\",\"t\":[NaN],\"seed\":Infinity}";
            case 4 -> json + "}}";
            case 5 -> "{'type':'forward'}";
            case 6 -> "{\"type\":\"forward\",\"seed\":" + "9".repeat(500 + random.nextInt(3000)) + "}";
            case 7 -> pick(List.of("", "null", "[]", "\"x\"", "1", "true", "{}"));
            case 8 -> "/* comment */" + json;
            default -> "\ufeff{\"zz\":1," + json.substring(1);
        };
    }

    private ArrayNode longList() {
        ArrayNode a = F.arrayNode();
        for (int i = 0, n = 1001 + random.nextInt(20_000); i < n; i++) {
            a.add(n - i);
        }
        return a;
    }

    private JsonNode anyValue() {
        return pick(List.of(
                F.nullNode(),
                F.booleanNode(true),
                F.numberNode(-1),
                F.numberNode(1e308),
                bigInteger(),
                F.textNode(pick(STRINGS)),
                F.arrayNode().add(1).add("x"),
                JSON.createObjectNode().put("a", 1)));
    }

    private static JsonNode bigInteger() {
        return F.numberNode(new java.math.BigInteger("9".repeat(40)));
    }

    private static JsonNode imageField(JsonNode type) {
        for (JsonNode f : type.get("fields")) {
            if (f.get("kind").asText().equals("image")) {
                return f;
            }
        }
        return null;
    }

    private static JsonNode requiredField(JsonNode type) {
        for (JsonNode f : type.get("fields")) {
            if (f.get("required").asBoolean()) {
                return f;
            }
        }
        return null;
    }

    <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }
}
