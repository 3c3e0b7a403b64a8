package io.campanile.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.campanile.contracts.jobs.JobRequests;
import io.campanile.gateway.service.PackCatalog;
import io.campanile.gateway.service.RequestJson;
import io.campanile.packs.ModelPack;
import io.campanile.packs.PackManifest;
import io.campanile.text.Encoding;
import io.campanile.text.T5Tokenizer;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * {@code POST /v1/tokenize}: how the T5 encoder reads a prompt (lower-cased and stripped as IF does, 77 tokens with
 * {@code </s>}), so users see where a long prompt is cut. With {@code model}, the tokenizer of that pack's text
 * encoder (a text-encoder pack's own, or the one a T5-conditioned UNet names) when it is installed, else the bundled
 * T5 v1.1 tokenizer, which every IF pack shares. The text is bounded like a prompt
 * ({@link JobRequests#MAX_PROMPT_CHARS}), and the tokenizer runs in linear time.
 */
@Path("/v1/tokenize")
@Produces(MediaType.APPLICATION_JSON)
public class TokenizeResource {
    private static final String BUNDLED = "";

    /** The answer: the 77 ids, the real tokens, how many there are (with {@code </s>}) and whether it was cut. */
    public record TokenizeView(List<Long> ids, List<String> pieces, int tokenCount, boolean truncated, int maxLength) {
        static TokenizeView of(Encoding e) {
            return new TokenizeView(
                    Arrays.stream(e.ids()).boxed().toList(), e.pieces(), e.tokenCount(), e.truncated(), e.maxLength());
        }
    }

    private final PackCatalog catalog;

    private final Map<String, T5Tokenizer> tokenizers = new ConcurrentHashMap<>();

    @Inject
    TokenizeResource(PackCatalog catalog) {
        this.catalog = catalog;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Tokenize a prompt as the T5 encoder sees it",
            description = "Body {text, model?}: ids (77), pieces, token_count, truncated, max_length")
    public TokenizeView tokenize(String json) {
        JsonNode body = RequestJson.parse(json);
        JsonNode text = body == null || !body.isObject() ? null : body.get("text");
        if (text == null || !text.isTextual()) {
            throw ApiProblem.badField("text", "'text' is required and must be a string");
        }
        if (text.asText().length() > JobRequests.MAX_PROMPT_CHARS) { // bounded like a prompt
            throw ApiProblem.badField("text", "'text' is longer than " + JobRequests.MAX_PROMPT_CHARS + " characters");
        }
        JsonNode model = body.get("model");
        if (model != null
                && !model.isNull()
                && (!model.isTextual() || model.asText().length() > JobRequests.MAX_STRING_CHARS)) {
            throw ApiProblem.badField(
                    "model",
                    "'model' must be a string naming a model pack (at most " + JobRequests.MAX_STRING_CHARS
                            + " characters)");
        }
        T5Tokenizer tokenizer = tokenizer(model == null || model.isNull() ? null : model.asText());
        return TokenizeView.of(tokenizer.encodePrompt(text.asText()));
    }

    private T5Tokenizer tokenizer(String modelId) {
        if (modelId == null) {
            return tokenizers.computeIfAbsent(BUNDLED, k -> T5Tokenizer.load());
        }
        PackManifest m = catalog.require("model", modelId).manifest();
        ModelPack encoder = null;
        if (m.isTextEncoder()) {
            encoder = catalog.require("model", modelId);
        } else if (m.conditioning() != PackManifest.Conditioning.T5) {
            throw ApiProblem.badField(
                    "model", "model '" + modelId + "' takes no text prompt (conditioning " + m.conditioning() + ")");
        } else if (m.textEncoder() != null) {
            encoder = catalog.registry().find(m.textEncoder()).orElse(null);
        }
        if (encoder == null
                || encoder.manifest().tokenizer() == null
                || !Files.isRegularFile(encoder.dir().resolve(encoder.manifest().tokenizer()))) {
            return tokenizers.computeIfAbsent(BUNDLED, k -> T5Tokenizer.load());
        }
        java.nio.file.Path spiece =
                encoder.dir().resolve(encoder.manifest().tokenizer()).toAbsolutePath();
        return tokenizers.computeIfAbsent(spiece.toString(), k -> T5Tokenizer.load(spiece));
    }

    @PreDestroy
    void close() {
        tokenizers.values().forEach(T5Tokenizer::close);
    }
}
