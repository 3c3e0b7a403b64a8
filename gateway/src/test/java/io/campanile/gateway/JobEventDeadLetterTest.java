package io.campanile.gateway;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.campanile.contracts.Topics;
import io.campanile.testkit.Infrastructure;
import io.campanile.testkit.InfrastructureResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * A job-event the gateway cannot read goes to dead-letters and fails the job its key names, with the reason; a
 * finished job, an unknown job or a key that is no job id are left alone.
 */
@QuarkusTest
@WithTestResource(value = InfrastructureResource.class, initArgs = @ResourceArg(name = "schema", value = "gateway"))
class JobEventDeadLetterTest {

    @Test
    void aMalformedEventFailsItsRunningJobAndLeavesFinishedOnesAlone() throws Exception {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> given().get("/q/health/ready").statusCode() == 200);
        UUID running = JobRows.insert("RUNNING");
        UUID finished = JobRows.insert("SUCCEEDED");
        String before = JobRows.snapshot(finished);
        Properties p = new Properties();
        p.put("bootstrap.servers", Infrastructure.kafka().bootstrapServers());
        p.put("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
        p.put("value.serializer", "org.apache.kafka.common.serialization.StringSerializer");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            // One partition, so the records are handled in this order: the last one failing its job means the
            // others were handled before it.
            for (String[] kv : new String[][] {
                {finished.toString(), "{not json"},
                {"not-a-job-id", "{not json"},
                {UUID.randomUUID().toString(), "{not json"},
                {running.toString(), "{\"type\":\"job-event\"}"}
            }) {
                producer.send(new ProducerRecord<>(Topics.JOB_EVENTS, 0, kv[0], kv[1]))
                        .get();
            }
        }
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> JobRows.column(running, "status").equals("FAILED"));
        String error = JobRows.column(running, "error");
        assertTrue(error.contains("could not be processed") && error.contains("malformed job event"), error);
        assertEquals(before, JobRows.snapshot(finished), "a finished job stays as it was");
    }
}
