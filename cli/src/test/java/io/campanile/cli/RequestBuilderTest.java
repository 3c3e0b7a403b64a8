package io.campanile.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.campanile.contracts.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RequestBuilderTest {
    static final String TYPE = """
            {"type": "iterative_denoise", "summary": "...", "fields": [
              {"name": "image", "kind": "image", "required": true},
              {"name": "t", "kind": "int_list"},
              {"name": "i_start", "kind": "int"},
              {"name": "sigma", "kind": "number"},
              {"name": "upscale", "kind": "boolean"},
              {"name": "prompt", "kind": "prompt"},
              {"name": "prompts", "kind": "prompt_list"},
              {"name": "views", "kind": "string_list"},
              {"name": "sampler", "kind": "choice", "choices": ["course", "diffusers"]},
              {"name": "timesteps", "kind": "timesteps"}]}
            """;

    private static RequestBuilder builder() throws Exception {
        return new RequestBuilder(Json.mapper().readTree(TYPE));
    }

    /** The JSON text of {@code s} as a request is sent (node types aside: 10 is 10, whether int or long). */
    private static String json(String s) throws Exception {
        return Json.mapper().readTree(s).toString();
    }

    @Test
    void valuesAreTypedByTheFieldsKinds() throws Exception {
        JsonNode r = builder()
                .add("t=250,500, 750")
                .add("i_start=10")
                .add("sigma=2.5")
                .add("upscale=yes")
                .add("prompt=7")
                .add("prompts=an oil painting, of an old man")
                .add("prompts=a campfire")
                .add("views=identity,flip")
                .add("sampler=diffusers")
                .add("seed=34224309")
                .add("model=test-mnist-class")
                .request();
        assertEquals(json("""
                        {"type": "iterative_denoise", "t": [250, 500, 750], "i_start": 10, "sigma": 2.5,
                         "upscale": true, "prompt": "7", "prompts": ["an oil painting, of an old man", "a campfire"],
                         "views": ["identity", "flip"], "sampler": "diffusers", "seed": 34224309,
                         "model": "test-mnist-class"}"""), r.toString());
    }

    @Test
    void listsAndTimestepsTakeJsonAndNames() throws Exception {
        assertEquals(
                json("[990, 500, 0]"),
                builder()
                        .add("timesteps=[990,500,0]")
                        .request()
                        .get("timesteps")
                        .toString());
        assertEquals(
                json("[990, 500, 0]"),
                builder().add("timesteps=990,500,0").request().get("timesteps").toString());
        assertEquals(
                json("\"smart27\""),
                builder().add("timesteps=smart27").request().get("timesteps").toString());
        assertEquals(
                json("[\"a, b\", \"c\"]"),
                builder()
                        .add("prompts=[\"a, b\", \"c\"]")
                        .request()
                        .get("prompts")
                        .toString());
        assertEquals(json("[250]"), builder().add("t=250").request().get("t").toString());
    }

    @Test
    void unknownKeysGoToTheGatewayAsTheyAre() throws Exception {
        JsonNode r = builder().add("colour=3").add("shade=dark").request();
        assertEquals(3, r.get("colour").asInt());
        assertEquals("dark", r.get("shade").asText());
    }

    @Test
    void badValuesNameTheirField() throws Exception {
        CliException e = assertThrows(CliException.class, () -> builder().add("i_start=ten"));
        assertEquals(CliException.USAGE, e.exitCode());
        assertTrue(e.getMessage().contains("'i_start'"), e.getMessage());
        assertTrue(assertThrows(CliException.class, () -> builder().add("t=1,x"))
                .getMessage()
                .contains("'t'"));
        assertTrue(assertThrows(CliException.class, () -> builder().add("upscale=maybe"))
                .getMessage()
                .contains("'upscale'"));
        assertTrue(assertThrows(
                        CliException.class, () -> builder().add("i_start=1").add("i_start=2"))
                .getMessage()
                .contains("twice"));
        assertTrue(assertThrows(CliException.class, () -> builder().add("novalue"))
                .getMessage()
                .contains("key=value"));
    }

    @Test
    void anImageFieldReadsItsFile(@TempDir Path dir) throws Exception {
        Path png = Files.write(dir.resolve("x.png"), new byte[] {1, 2, 3});
        assertEquals(
                Base64.getEncoder().encodeToString(new byte[] {1, 2, 3}),
                builder().set("image", png.toString()).request().get("image").asText());
        CliException e = assertThrows(
                CliException.class,
                () -> builder().set("image", dir.resolve("missing.png").toString()));
        assertTrue(e.getMessage().contains("'image'"), e.getMessage());
    }
}
