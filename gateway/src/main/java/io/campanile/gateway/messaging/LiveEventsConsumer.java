package io.campanile.gateway.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.campanile.contracts.JobEventMessage;
import io.campanile.contracts.JobEventType;
import io.campanile.contracts.Json;
import io.campanile.contracts.Topics;
import io.campanile.platform.KafkaConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * The per-replica broadcast of live changes (ADR 0013): every gateway replica reads all of {@code job-updates} and
 * the previews on {@code job-events} with a consumer group of its own, from the latest offset, and hands them to the
 * {@link LiveEventSink}. The group consumer of job-events ({@link JobEventsConsumer}) sees only its partitions, so
 * it cannot feed the streams of a replica; this one can. Nothing is committed: a restarted replica starts at the end,
 * and its streams begin with the job's state read once from the database.
 */
@ApplicationScoped
public class LiveEventsConsumer {
    private static final Logger LOG = Logger.getLogger(LiveEventsConsumer.class);
    private final KafkaConfig kafka;
    private final LiveEventSink sink;
    private volatile boolean running = true;
    private volatile boolean reading;
    private volatile KafkaConsumer<String, String> consumer;
    private Thread thread;

    @Inject
    LiveEventsConsumer(KafkaConfig kafka, LiveEventSink sink) {
        this.kafka = kafka;
        this.sink = sink;
    }

    void start(@Observes StartupEvent ev) {
        thread = new Thread(this::run, "live-events");
        thread.setDaemon(true);
        thread.start();
    }

    /** Whether this replica reads the live topics now (partitions assigned, read from their end): tests wait for it. */
    public boolean reading() {
        return reading;
    }

    void stop(@Observes ShutdownEvent ev) {
        running = false;
        KafkaConsumer<String, String> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Reads until stopped; a consumer that fails is replaced after a back-off, so the streams never go silent. */
    private void run() {
        for (int failures = 0; running; failures++) {
            if (readUntilStopped()) {
                return;
            }
            try {
                Thread.sleep(Math.min(30_000L, 500L << Math.min(failures, 6)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private boolean readUntilStopped() {
        String group = "gateway-live-" + UUID.randomUUID();
        Properties p = kafka.settings("gateway").consumer(group, 500, 300_000);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        KafkaConsumer<String, String> c = new KafkaConsumer<>(p);
        consumer = c;
        try {
            c.subscribe(List.of(Topics.JOB_UPDATES, Topics.JOB_EVENTS));
            while (running) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(500))) {
                    handle(r);
                }
                if (!reading && !c.assignment().isEmpty()) {
                    c.assignment().forEach(tp -> c.position(tp, Duration.ofSeconds(5))); // fixes "latest" now
                    reading = true;
                }
            }
            return true;
        } catch (WakeupException e) {
            return !running;
        } catch (RuntimeException | Error e) {
            LOG.error("live events consumer failed; recreating it", e);
            return false;
        } finally {
            reading = false;
            c.close(Duration.ofSeconds(2));
        }
    }

    private void handle(ConsumerRecord<String, String> r) {
        try {
            if (Topics.JOB_UPDATES.equals(r.topic())) {
                JobUpdateMessage m = Json.mapper().readValue(r.value(), JobUpdateMessage.class);
                if (m.jobId() != null) {
                    sink.jobChanged(m.jobId(), m.version());
                }
            } else if (r.value() != null && r.value().contains("\"PREVIEW\"")) { // parse previews only
                JobEventMessage e = Json.mapper().readValue(r.value(), JobEventMessage.class);
                if (e.event() == JobEventType.PREVIEW && e.jobId() != null && e.preview() != null) {
                    sink.preview(e.jobId(), e.preview());
                }
            }
        } catch (JsonProcessingException e) {
            LOG.warnf("ignoring a malformed message on %s: %s", r.topic(), e.getOriginalMessage());
        } catch (RuntimeException e) { // the hub failing on one job must not stop every stream
            LOG.warnf("live event for job %s not delivered: %s", r.key(), e.toString());
        }
    }
}
