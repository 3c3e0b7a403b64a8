package io.campanile.gateway.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.campanile.contracts.JobType;
import io.campanile.contracts.Topics;
import io.campanile.contracts.jobs.JobRequests;
import io.campanile.contracts.jobs.TrainRequest;
import io.campanile.contracts.jobs.TrainingMemory;
import io.campanile.gateway.config.GatewayConfig;
import io.campanile.gateway.config.InputLimits;
import io.campanile.packs.ModelPack;
import io.campanile.packs.PackManifest;
import io.campanile.text.TruncationWarnings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

/**
 * Checks a job request against the job type's fields ({@link JobRequests}) and the model pack it names: every
 * problem is a 400 naming the field. Fills in defaults and the seed, so that the job record says exactly how it was run.
 */
@ApplicationScoped
public class JobRequestValidator {
    private static final Set<String> COMMON = Set.of("type", "model", "seed");

    private final GatewayConfig config;
    private final InputLimits limits;
    private final ImageInputChecker images;
    private final PackCatalog packs;
    private final TokenizerHolder tokenizer;

    @Inject
    JobRequestValidator(
            GatewayConfig config,
            InputLimits limits,
            ImageInputChecker images,
            PackCatalog packs,
            TokenizerHolder tokenizer) {
        this.config = config;
        this.limits = limits;
        this.images = images;
        this.packs = packs;
        this.tokenizer = tokenizer;
    }

    public ValidatedJob validate(String body) {
        ObjectNode req = RequestJson.object(body);
        JobType type = type(req.get("type"));
        String model = model(req.get("model"));
        long seed = seed(req.get("seed"));
        // 1. The type's fields: unknown, required, types and bounds; defaults filled in (InvalidFieldException is a
        // 400).
        JobRequests.Checked checked = JobRequests.check(type, req, COMMON);
        ObjectNode params = checked.params();
        Map<String, byte[]> imageBytes = new LinkedHashMap<>();
        checked.images().forEach((field, value) -> imageBytes.put(field, images.check(field, value)));
        String topic = type.firstTopic();
        List<String> warnings = List.of();
        if (type == JobType.TRAIN) {
            // 2. A train job must fit its trainer's memory: a 400 naming batch_size or hidden_dim, not an OOM later.
            TrainingMemory.check((TrainRequest) JobRequests.read(type, params, Map.of()), limits.trainMemoryMb() << 20);
            if (req.get("model") == null) {
                model = "mnist-" + params.get("architecture").asText().replace('_', '-'); // what the job trains
            }
        } else {
            ModelPack pack = packs.require("model", model);
            ModelChecks.check(type, pack, params, packs);
            if (type.needsUnet() && pack.manifest().conditioning() == PackManifest.Conditioning.T5) {
                topic = Topics.TEXT_ENCODE_REQUESTS; // the text encoder adds the embeddings and forwards the job
                synchronized (tokenizer) {
                    warnings = TruncationWarnings.of(tokenizer.get(), params);
                }
            }
        }
        return new ValidatedJob(type, model, seed, params, imageBytes, CanonicalJson.sha256(req), topic, warnings);
    }

    private static JobType type(JsonNode node) {
        String known = Arrays.stream(JobType.values()).map(JobType::wireName).collect(Collectors.joining(", "));
        if (node == null || !node.isTextual() || node.asText().length() > JobRequests.MAX_STRING_CHARS) {
            throw new InvalidRequestException("type", "'type' is required; one of: " + known);
        }
        return JobType.fromWire(node.asText())
                .orElseThrow(() -> new InvalidRequestException(
                        "type", "unknown job type '" + node.asText() + "'; one of: " + known));
    }

    private String model(JsonNode node) {
        if (node == null || node.isNull()) {
            return config.defaultModel();
        }
        if (!node.isTextual()) {
            throw new InvalidRequestException("model", "'model' must be a model pack id (see GET /v1/models)");
        }
        if (node.asText().length() > JobRequests.MAX_STRING_CHARS) {
            throw new InvalidRequestException(
                    "model", "'model' is longer than " + JobRequests.MAX_STRING_CHARS + " characters");
        }
        return node.asText();
    }

    private static long seed(JsonNode node) {
        if (node == null || node.isNull()) {
            return ThreadLocalRandom.current().nextLong(0, Long.MAX_VALUE);
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw new InvalidRequestException("seed", "'seed' must be a 64-bit integer");
        }
        return node.longValue();
    }
}
