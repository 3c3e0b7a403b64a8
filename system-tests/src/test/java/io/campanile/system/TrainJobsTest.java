package io.campanile.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A short {@code train} job of each part-B model through the gateway (MNIST from ../shared/data/mnist): the trainer
 * runs it, reports training progress, and the figures come back as job outputs; a finished DDPM becomes a pack.
 */
@ExtendWith(Stack.Extension.class)
class TrainJobsTest {

    private static JsonPath train(String architecture, Object... kv) {
        Map<String, Object> body = new HashMap<>(Map.of(
                "type",
                "train",
                "architecture",
                architecture,
                "epochs",
                1,
                "batch_size",
                32,
                "hidden_dim",
                4,
                "train_subset",
                128,
                "seed",
                7));
        for (int i = 0; i < kv.length; i += 2) {
            body.put((String) kv[i], kv[i + 1]);
        }
        String id = Jobs.submit(body);
        JsonPath job = Jobs.awaitTerminal(id, Duration.ofMinutes(4));
        assertEquals("SUCCEEDED", job.getString("status"), job.prettify());
        return job;
    }

    @Test
    void theSingleStepDenoiserTrainsAndDrawsItsFigures() {
        JsonPath job = train("denoiser", "sigma", 0.5);
        List<String> roles = job.getList("outputs.role");
        assertTrue(roles.contains("loss curve"), roles.toString());
        assertTrue(roles.contains("out-of-distribution sigma"), roles.toString());
        assertEquals(0.5, job.getDouble("params.sigma"), 1e-9);
        assertEquals("train", job.getString("progress.stage"));
    }

    @Test
    void theTimeConditionedDdpmTrainsAndSamples() {
        JsonPath job = train("time_conditioned", "num_timesteps", 50);
        List<String> roles = job.getList("outputs.role");
        assertTrue(roles.contains("loss curve"), roles.toString());
        assertTrue(roles.stream().anyMatch(r -> r.startsWith("samples epoch")), roles.toString());
        // The checkpoint and the sampling GIF are listed with the job and can be downloaded.
        List<String> files = job.getList("files.name");
        assertTrue(files.contains("checkpoint-epoch-1.sd"), files.toString());
        assertTrue(files.contains("sampling-epoch-1.gif"), files.toString());
        byte[] gif = RestAssured.given()
                .when()
                .get(job.getString("files.find { it.name == 'sampling-epoch-1.gif' }.url"))
                .then()
                .statusCode(200)
                .contentType("image/gif")
                .extract()
                .asByteArray();
        assertEquals("GIF8", new String(gif, 0, 4, StandardCharsets.US_ASCII));
        RestAssured.given()
                .when()
                .get("/v1/jobs/" + job.getString("id") + "/files/nothing.bin")
                .then()
                .statusCode(404);
    }

    @Test
    void theClassConditionedDdpmTrainsSamplesWithGuidanceAndIsServedAsAPack() {
        JsonPath job = train("class_conditioned", "num_timesteps", 50);
        List<String> roles = job.getList("outputs.role");
        assertTrue(roles.stream().anyMatch(r -> r.startsWith("samples epoch")), roles.toString());
        assertEquals(5.0, job.getDouble("params.guidance_scale"), 1e-9);
        String pack = "mnist-class-conditioned-" + job.getString("id");
        JsonPath sample = Jobs.awaitTerminal(
                Jobs.submit(Map.of("type", "sample", "model", pack, "prompt", "2", "num_images", 1)));
        assertEquals("SUCCEEDED", sample.getString("status"), sample.prettify());
    }
}
