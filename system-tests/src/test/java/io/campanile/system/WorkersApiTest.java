package io.campanile.system;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Workers page's data and the Prometheus meters on the real stack: {@code GET /v1/workers} shows the two
 * stage1-worker replicas sharing every partition of stage1-requests, and after a job ran, the gateway and the worker
 * that ran it expose its queue wait, run time and UNet time at {@code /q/metrics}.
 */
@ExtendWith(Stack.Extension.class)
class WorkersApiTest {
    static final String S1 = "find { it.kind == 'stage1-worker' }";

    static JsonPath workers() {
        return given().when()
                .get("/v1/workers")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    @Test
    void twoStage1ReplicasShareEveryPartition() {
        // the group may still be rebalancing right after the start
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    JsonPath w = workers();
                    return w.getInt(S1 + ".replicas") == 2
                            && w.getList(S1 + ".members.partitions.flatten()").size() == w.getInt(S1 + ".partitions");
                });
        JsonPath w = workers();
        assertEquals(
                List.of("text-encoder", "stage1-worker", "stage2-worker", "trainer"), w.getList("kind"), w.prettify());
        assertEquals("stage1-requests", w.getString(S1 + ".topic"));
        assertEquals("stage1-worker", w.getString(S1 + ".group"));
        int partitions = w.getInt(S1 + ".partitions");
        assertTrue(partitions >= 6, w.prettify());
        List<Integer> held = new ArrayList<>(w.getList(S1 + ".members.partitions.flatten()", Integer.class));
        held.sort(null);
        assertEquals(IntStream.range(0, partitions).boxed().toList(), held, "each partition held by one replica");
        assertEquals(
                List.of("stage1-worker-1", "stage1-worker-2"),
                w.getList(S1 + ".members.instance", String.class).stream()
                        .sorted()
                        .toList());
        for (Object m : w.getList(S1 + ".members")) {
            assertTrue(!((List<?>) ((Map<?, ?>) m).get("partitions")).isEmpty(), "both replicas hold partitions");
        }
        Map<String, Number> lag = w.getMap(S1 + ".lag_by_partition");
        assertEquals(partitions, lag.size());
        assertEquals(lag.values().stream().mapToLong(Number::longValue).sum(), w.getLong(S1 + ".lag"));
        for (String kind : List.of("text-encoder", "stage2-worker", "trainer")) {
            assertEquals(1, w.getInt("find { it.kind == '" + kind + "' }.replicas"), kind + ": " + w.prettify());
        }
    }

    @Test
    void aJobsQueueWaitRunTimeAndUnetTimeAreAtQMetrics() {
        Map<String, Object> body = Jobs.request("sample", "num_images", 1, "timesteps", List.of(999, 500, 0));
        body.put("model", "test-unconditional");
        body.remove("image");
        JsonPath job = Jobs.awaitTerminal(Jobs.submit(body));
        assertEquals("SUCCEEDED", job.getString("status"), job.prettify());
        String worker = job.getString("worker");
        assertTrue(worker.startsWith("stage1-worker-"), worker);

        given().when()
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .body(containsString("campanile_job_queue_wait_seconds_count{type=\"sample\"}"))
                .body(containsString("campanile_consumer_lag{group=\"stage1-worker\",topic=\"stage1-requests\"}"))
                .body(containsString("campanile_jobs{status=\"SUCCEEDED\",type=\"sample\"}"))
                .body(containsString("campanile_sse_open_streams "));
        given().baseUri(Stack.get().service(worker).url())
                .when()
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .body(containsString("campanile_job_run_seconds_count{type=\"sample\"}"))
                .body(containsString("campanile_unet_seconds_count{model=\"test-unconditional\"}"));
        JsonPath w = workers();
        assertTrue(w.getLong(S1 + ".succeeded_last_5_min") >= 1, w.prettify());
    }
}
