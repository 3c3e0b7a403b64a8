package io.campanile.gateway.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.campanile.contracts.JobEventMessage;
import io.campanile.contracts.Json;
import io.campanile.contracts.Topics;
import io.campanile.platform.ConsumerLoop;
import io.campanile.platform.DeadLetters;
import io.campanile.platform.Ids;
import io.campanile.platform.JsonProducer;
import io.campanile.platform.KafkaConfig;
import io.campanile.platform.PoisonMessageException;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Consumes job-events (group "gateway") and applies each to job state; malformed events go to dead-letters and fail
 * the job their key names, which would otherwise wait for that lost report forever. A database outage of any length
 * is retried on the loop's work thread while its polling thread keeps the group membership; any other failure of an
 * event is tried three times, then dead-lettered, so a poison event never blocks its partition.
 */
@ApplicationScoped
public class JobEventsConsumer implements ConsumerLoop.RecordHandler {
    private final KafkaConfig kafka;
    private final JsonProducer producer;
    private final JobEventSink applier;
    private final DataSource dataSource;
    private ConsumerLoop loop;

    @Inject
    JobEventsConsumer(KafkaConfig kafka, JsonProducer producer, JobEventSink applier, DataSource dataSource) {
        this.kafka = kafka;
        this.producer = producer;
        this.applier = applier;
        this.dataSource = dataSource;
    }

    void start(@Observes StartupEvent ev) {
        loop = new ConsumerLoop(
                "job-events",
                kafka.settings("gateway").consumer("gateway", 200, 60_000),
                List.of(Topics.JOB_EVENTS),
                this,
                new DeadLetters(producer, "gateway"),
                Integer.MAX_VALUE);
        loop.trackCaughtUp();
        loop.start();
    }

    /**
     * A time before which every job event has been applied, or null before the consumer first caught up: a lease
     * that expired before it was not renewed by any event (the lease reaper's clock).
     */
    public Instant caughtUpAt() {
        return loop == null ? null : loop.caughtUpAt();
    }

    void stop(@Observes ShutdownEvent ev) {
        if (loop != null) {
            loop.close();
        }
    }

    @Override
    public void handle(ConsumerRecord<String, String> record, BooleanSupplier handBack) {
        JobEventMessage event;
        try {
            event = Json.mapper().readValue(record.value(), JobEventMessage.class);
        } catch (JsonProcessingException e) {
            throw new PoisonMessageException("malformed job event: " + e.getOriginalMessage());
        }
        if (!JobEventMessage.TYPE.equals(event.type())
                || event.schemaVersion() != JobEventMessage.SCHEMA_VERSION
                || event.eventId() == null
                || event.jobId() == null
                || event.event() == null) {
            throw new PoisonMessageException("not a job event of schema version " + JobEventMessage.SCHEMA_VERSION
                    + " with event id, job id and event");
        }
        try {
            applier.apply(event);
        } catch (RuntimeException e) {
            if (!databaseAnswers()) {
                throw new ConsumerLoop.RetriableException("database unavailable: " + e.getMessage(), e);
            }
            throw e; // the database answers, so the event itself fails: counted, then dead-lettered
        }
    }

    /** Whether a fresh connection to the database works: tells an outage from an event that cannot be applied. */
    private boolean databaseAnswers() {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(2);
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    /** Fails the job named by the record's key, unless it is unknown or already finished (the applier checks). */
    @Override
    public void onDeadLetter(ConsumerRecord<String, String> record, String reason) {
        UUID jobId = Ids.parseOrNull(record.key());
        if (jobId != null) {
            applier.apply(JobEventMessage.failed(
                    jobId, "gateway", "a report about this job could not be processed: " + reason));
        }
    }
}
