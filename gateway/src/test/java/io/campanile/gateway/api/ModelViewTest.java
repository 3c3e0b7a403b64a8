package io.campanile.gateway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.campanile.packs.Manifests;
import io.campanile.packs.ModelPack;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code GET /v1/models} shows a manifest's choices with the names the manifest file gives them. */
class ModelViewTest {
    private static final Path PACKS = Path.of("..", "packs");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode view(String id) {
        Path dir = PACKS.resolve(id);
        return JSON.valueToTree(ModelView.of(new ModelPack(dir, Manifests.read(dir))));
    }

    @Test
    void aUnetShowsTheManifestsNames() {
        JsonNode v = view("IF-II-L-v1.0");
        assertEquals("unet", v.get("kind").asText());
        assertEquals("[-1,1]", v.get("valueRange").asText());
        assertEquals("t5", v.get("conditioning").asText());
        assertEquals("epsilon_variance", v.get("output").asText());
        assertEquals(
                "squaredcos_cap_v2", v.get("scheduler").get("beta_schedule").asText());
        assertEquals("learned_range", v.get("scheduler").get("variance_type").asText());
        assertEquals(1.0, v.get("scheduler").get("sample_max_value").asDouble());
        assertFalse(v.get("scheduler").has("beta_start"), "unset scheduler fields are left out");
        JsonNode mnist = view("mnist-class");
        assertEquals("[0,1]", mnist.get("valueRange").asText());
        assertEquals("class", mnist.get("conditioning").asText());
        assertEquals("linear", mnist.get("scheduler").get("beta_schedule").asText());
        assertEquals("fixed_large", mnist.get("scheduler").get("variance_type").asText());
    }

    @Test
    void aTextEncoderHasNoUnetFields() {
        JsonNode v = view("t5-v1_1-xxl");
        assertEquals("text-encoder", v.get("kind").asText());
        assertEquals(true, v.get("valueRange").isNull());
        assertEquals(true, v.get("scheduler").isNull());
    }
}
