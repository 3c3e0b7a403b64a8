package io.campanile.gateway.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.campanile.contracts.JobSchemas;
import io.campanile.contracts.JobType;
import io.campanile.contracts.Topics;
import io.campanile.contracts.TrainSchema;
import io.campanile.packs.ModelPack;
import io.campanile.packs.PackManifest;
import io.campanile.text.TruncationWarnings;
import io.campanile.contracts.Json;
import io.campanile.contracts.ParamSpec;
import io.campanile.gateway.api.ApiProblem;
import io.campanile.gateway.config.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

/**
 * Checks a job request against the job type's fields ({@link JobSchemas}): every problem is a 400 naming the
 * field. Fills in defaults and the seed, so that the job record says exactly how it was run.
 */
@ApplicationScoped
public class JobRequestValidator {
    private static final Set<String> COMMON = Set.of("type", "model", "seed");

    @Inject
    GatewayConfig config;
    @Inject
    ImageInputChecker images;
    @Inject
    PackCatalog packs;
    @Inject
    TokenizerHolder tokenizer;

    public ValidatedJob validate(String body) {
        ObjectNode req = parseObject(body);
        JobType type = type(req.get("type"));
        String model = model(req.get("model"));
        long seed = seed(req.get("seed"));
        for (Iterator<String> it = req.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!COMMON.contains(name) && JobSchemas.fields(type).stream().noneMatch(p -> p.name().equals(name))) {
                throw ApiProblem.badField(name, "unknown field '" + name + "' for type " + type.wireName()
                        + "; fields: " + JobSchemas.fields(type).stream().map(ParamSpec::name)
                                .collect(Collectors.joining(", ")));
            }
        }
        ObjectNode params = Json.mapper().createObjectNode();
        Map<String, byte[]> imageBytes = new LinkedHashMap<>();
        for (ParamSpec spec : JobSchemas.fields(type)) {
            JsonNode value = req.get(spec.name());
            if (value == null || value.isNull()) {
                if (spec.required()) {
                    throw ApiProblem.badField(spec.name(), "'" + spec.name() + "' is required for type "
                            + type.wireName());
                }
                if (spec.defaultValue() != null) {
                    params.set(spec.name(), spec.defaultValue().deepCopy());
                }
            } else if (spec.kind() == ParamSpec.Kind.IMAGE) {
                imageBytes.put(spec.name(), images.check(spec.name(), value));
            } else {
                params.set(spec.name(), ParamChecks.check(spec, value));
            }
        }
        String topic = type.firstTopic();
        java.util.List<String> warnings = java.util.List.of();
        if (type == JobType.TRAIN) {
            TrainSchema.fillDefaults(params);
            if (req.get("model") == null) {
                model = "mnist-" + params.get("architecture").asText().replace('_', '-'); // what the job trains
            }
        } else {
            ModelPack pack = packs.require("model", model);
            ModelChecks.check(type, pack, params, packs);
            if (JobSchemas.needsUnet(type) && pack.manifest().conditioning() == PackManifest.Conditioning.T5) {
                topic = Topics.TEXT_ENCODE_REQUESTS; // the text encoder adds the embeddings and forwards the job
                synchronized (tokenizer) {
                    warnings = TruncationWarnings.of(tokenizer.get(), params);
                }
            }
        }
        return new ValidatedJob(type, model, seed, params, imageBytes, CanonicalJson.sha256(req), topic, warnings);
    }

    private static ObjectNode parseObject(String body) {
        if (body == null || body.isBlank()) {
            throw ApiProblem.badField("body", "the request body must be a JSON object");
        }
        try {
            JsonNode node = Json.mapper().readTree(body);
            if (node instanceof ObjectNode o) {
                return o;
            }
        } catch (JsonProcessingException e) {
            throw ApiProblem.badField("body", "malformed JSON: " + e.getOriginalMessage());
        }
        throw ApiProblem.badField("body", "the request body must be a JSON object");
    }

    private static JobType type(JsonNode node) {
        String known = Arrays.stream(JobType.values()).map(JobType::wireName).collect(Collectors.joining(", "));
        if (node == null || !node.isTextual()) {
            throw ApiProblem.badField("type", "'type' is required; one of: " + known);
        }
        return JobType.fromWire(node.asText()).orElseThrow(() -> ApiProblem.badField("type",
                "unknown job type '" + node.asText() + "'; one of: " + known));
    }

    private String model(JsonNode node) {
        if (node == null || node.isNull()) {
            return config.defaultModel();
        }
        if (!node.isTextual()) {
            throw ApiProblem.badField("model", "'model' must be a model pack id (see GET /v1/models)");
        }
        return node.asText();
    }

    private static long seed(JsonNode node) {
        if (node == null || node.isNull()) {
            return ThreadLocalRandom.current().nextLong(0, Long.MAX_VALUE);
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw ApiProblem.badField("seed", "'seed' must be a 64-bit integer");
        }
        return node.longValue();
    }
}
