package io.campanile.gateway;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.campanile.contracts.JobEventMessage;
import io.campanile.contracts.OutputRef;
import io.campanile.contracts.Preview;
import io.campanile.contracts.Progress;
import io.campanile.contracts.Topics;
import io.campanile.gateway.api.live.SseStreams;
import io.campanile.gateway.messaging.LiveEventsConsumer;
import io.campanile.platform.JsonProducer;
import io.campanile.testkit.InfrastructureResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The live event streams on real PostgreSQL and Kafka: worker events go the whole way (job-events, the applier, the
 * outbox, job-updates, this replica's broadcast consumer, the hub) to named events with increasing ids; a client
 * resumes with Last-Event-ID; previews are kept in memory; and the bound on open streams answers 503.
 */
@QuarkusTest
@WithTestResource(value = InfrastructureResource.class, initArgs = @ResourceArg(name = "schema", value = "gateway"))
@TestProfile(LiveEventsTest.TwoStreams.class)
class LiveEventsTest {
    static final Duration WAIT = Duration.ofSeconds(20);
    static final String WORKER = "stage1-worker@a#1";

    /** At most two open streams, so that the bound is reached in a test. */
    public static class TwoStreams implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("campanile.gateway.sse.max-streams", "2");
        }
    }

    @TestHTTPResource("/")
    URL base;

    @Inject
    JsonProducer producer;

    @Inject
    LiveEventsConsumer live;

    @Inject
    SseStreams streams;

    @BeforeEach
    void liveConsumerReadsAndNoStreamIsOpen() {
        await().atMost(WAIT).until(live::reading);
        await().atMost(WAIT).until(() -> streams.open() == 0);
    }

    private void report(JobEventMessage e) {
        producer.send(Topics.JOB_EVENTS, e.jobId().toString(), e);
    }

    private String url(String path) {
        return base.toString().replaceAll("/$", "") + path;
    }

    static byte[] png() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB), "png", out);
        return out.toByteArray();
    }

    @Test
    void namedEventsWithIncreasingIdsFromTheFirstStatusToTheTerminalOne() throws Exception {
        UUID job = JobRows.insert("QUEUED");
        UUID previewId;
        List<SseClient.Event> seen = new ArrayList<>();
        try (SseClient sse = SseClient.open(url("/v1/jobs/" + job + "/events"), null)) {
            SseClient.Event first = sse.next(WAIT);
            assertEquals("status", first.name());
            assertEquals("QUEUED", JsonPath.from(first.data()).getString("status"));
            assertEquals(job.toString(), JsonPath.from(first.data()).getString("id"));
            seen.add(first);

            report(JobEventMessage.started(job, WORKER));
            seen.addAll(sse.until("status", WAIT));
            report(JobEventMessage.progress(job, WORKER, new Progress("sample", 1, 3, null, null, null, 4.5)));
            seen.addAll(sse.until("progress", WAIT));
            JobEventMessage previewEvent = JobEventMessage.preview(job, WORKER, new Preview("sample", 1, 3, png()));
            report(previewEvent);
            seen.addAll(sse.until("preview", WAIT));
            previewId = previewEvent.eventId();
            UUID image = UUID.randomUUID();
            report(JobEventMessage.output(job, WORKER, new OutputRef(image, "sample", 0)));
            seen.addAll(sse.until("output", WAIT));
            report(JobEventMessage.succeeded(job, WORKER));
            List<SseClient.Event> rest = sse.untilEnd(WAIT); // the stream ends after the terminal status
            seen.addAll(rest);

            SseClient.Event last = rest.get(rest.size() - 1);
            assertEquals("SUCCEEDED", JsonPath.from(last.data()).getString("status"));
            assertEquals(image.toString(), JsonPath.from(last.data()).getString("outputs[0].image_id"));
            SseClient.Event running = seen.get(1);
            assertEquals("RUNNING", JsonPath.from(running.data()).getString("status"));
            assertEquals(WORKER, JsonPath.from(running.data()).getString("worker"));

            JsonPath progress = JsonPath.from(event(seen, "progress").data());
            assertEquals("sample", progress.getString("stage"));
            assertEquals(1, progress.getInt("step"));
            assertEquals(3, progress.getInt("total"));
            assertEquals(4.5f, progress.getFloat("eta_seconds"));
            JsonPath preview = JsonPath.from(event(seen, "preview").data());
            String dataUrl = preview.getString("image");
            assertTrue(dataUrl.startsWith("data:image/png;base64,"), dataUrl);
            BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(
                    Base64.getDecoder().decode(dataUrl.substring("data:image/png;base64,".length()))));
            assertEquals(64, decoded.getWidth());
            JsonPath output = JsonPath.from(event(seen, "output").data());
            assertEquals("/v1/images/" + image, output.getString("url"));
            assertEquals("sample", output.getString("role"));

            long previous = -1;
            for (SseClient.Event e : seen) {
                assertNotNull(e.id(), "every event has an id: " + e);
                assertTrue(Long.parseLong(e.id()) > previous, "ids increase: " + seen);
                previous = Long.parseLong(e.id());
            }
        }
        byte[] latest = given().when()
                .get("/v1/jobs/" + job + "/preview")
                .then()
                .statusCode(200)
                .contentType("image/png")
                .extract()
                .asByteArray();
        assertEquals(64, ImageIO.read(new ByteArrayInputStream(latest)).getWidth());
        assertEquals(0, JobRows.processedEvents(previewId), "a preview is never written to the database");
    }

    private static SseClient.Event event(List<SseClient.Event> events, String name) {
        return events.stream()
                .filter(e -> name.equals(e.name()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " in " + events));
    }

    @Test
    void aClientResumesAfterItsLastEventId() throws Exception {
        UUID job = JobRows.insert("QUEUED");
        String runningId;
        try (SseClient sse = SseClient.open(url("/v1/jobs/" + job + "/events"), null)) {
            sse.next(WAIT); // QUEUED
            report(JobEventMessage.started(job, WORKER));
            runningId = sse.until("status", WAIT).get(0).id();
            report(JobEventMessage.progress(job, WORKER, new Progress("sample", 2, 3)));
            sse.until("progress", WAIT);
        }
        UUID image = UUID.randomUUID();
        report(JobEventMessage.output(job, WORKER, new OutputRef(image, "sample", 0)));
        await().atMost(WAIT).until(() -> JobRows.outputs(job) == 1);
        try (SseClient sse = SseClient.open(url("/v1/jobs/" + job + "/events"), runningId)) {
            List<SseClient.Event> resumed = sse.until("output", WAIT);
            assertEquals("progress", resumed.get(0).name(), "the missed progress first: " + resumed);
            assertTrue(Long.parseLong(resumed.get(0).id()) > Long.parseLong(runningId));
            SseClient.Event status = sse.next(WAIT);
            assertEquals("status", status.name());
            assertEquals(image.toString(), JsonPath.from(status.data()).getString("outputs[0].image_id"));
            report(JobEventMessage.succeeded(job, WORKER));
            List<SseClient.Event> end = sse.untilEnd(WAIT);
            assertEquals(
                    "SUCCEEDED", JsonPath.from(end.get(end.size() - 1).data()).getString("status"));
        }
    }

    @Test
    void theBoundOnOpenStreamsIsAnswered503NamingTheLimit() throws Exception {
        UUID job = JobRows.insert("QUEUED");
        try (SseClient one = SseClient.open(url("/v1/jobs/" + job + "/events"), null);
                SseClient two = SseClient.open(url("/v1/events"), null)) {
            one.next(WAIT);
            await().atMost(WAIT).until(() -> streams.open() == 2);
            SseClient.RefusedException e = assertThrows(
                    SseClient.RefusedException.class, () -> SseClient.open(url("/v1/jobs/" + job + "/events"), null));
            assertEquals(503, e.refused.status());
            assertTrue(e.refused.contentType().startsWith("application/problem+json"), e.refused.contentType());
            assertEquals(503, JsonPath.from(e.refused.body()).getInt("status"), e.refused.body());
            String detail = JsonPath.from(e.refused.body()).getString("detail");
            assertTrue(detail.contains("campanile.gateway.sse.max-streams") && detail.contains("2"), detail);
        }
        await().atMost(WAIT).until(() -> streams.open() == 0);
        try (SseClient again = SseClient.open(url("/v1/jobs/" + job + "/events"), null)) {
            assertEquals("status", again.next(WAIT).name(), "a closed stream gives its slot back");
        }
    }

    @Test
    void theAllJobsStreamShowsEachChangeAndPreview() throws Exception {
        UUID job = JobRows.insert("QUEUED");
        try (SseClient all = SseClient.open(url("/v1/events"), null)) {
            await().atMost(WAIT).until(() -> streams.open() == 1);
            report(JobEventMessage.started(job, WORKER));
            report(JobEventMessage.progress(job, WORKER, new Progress("sample", 1, 4)));
            JsonPath summary;
            do { // other tests' jobs may show up too; this job's summary with its progress comes
                List<SseClient.Event> events = all.until("job", WAIT);
                summary = JsonPath.from(events.get(events.size() - 1).data());
            } while (!job.toString().equals(summary.getString("id")) || summary.get("progress") == null);
            assertEquals("RUNNING", summary.getString("status"));
            assertEquals(WORKER, summary.getString("worker"));
            assertEquals(1, summary.getInt("progress.step"));
            report(JobEventMessage.preview(job, WORKER, new Preview("sample", 1, 4, png())));
            JsonPath preview = JsonPath.from(all.until("preview", WAIT).get(0).data());
            assertEquals(job.toString(), preview.getString("job_id"));
            assertTrue(preview.getString("image").startsWith("data:image/png;base64,"));
        }
    }

    @Test
    void noPreviewIsA404() {
        given().when().get("/v1/jobs/" + UUID.randomUUID() + "/preview").then().statusCode(404);
    }
}
