package io.campanile.platform;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.campanile.contracts.Json;
import io.campanile.contracts.JobControlMessage;
import io.campanile.contracts.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * Every worker instance reads the whole compacted {@link Topics#JOB_CONTROL} topic (its own consumer group, from the
 * beginning) and keeps the ids of cancelled jobs, which the job loops check before they start and between steps.
 */
public final class CancellationRegistry implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(CancellationRegistry.class);
    private final Set<UUID> cancelled = ConcurrentHashMap.newKeySet();
    private final KafkaConsumer<String, String> consumer;
    private final Thread thread;
    private volatile boolean running = true;

    public CancellationRegistry(KafkaSettings settings, String instanceId) {
        Properties p = settings.consumer("control-" + instanceId + "-" + UUID.randomUUID(), 500, 300_000);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, true);
        this.consumer = new KafkaConsumer<>(p);
        this.thread = new Thread(this::run, "job-control");
        thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** True once a cancellation of the job has been seen. */
    public boolean isCancelled(UUID jobId) {
        return cancelled.contains(jobId);
    }

    private void run() {
        try {
            consumer.subscribe(List.of(Topics.JOB_CONTROL));
            while (running) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(300))) {
                    apply(r.value());
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("job-control consumer stopped", e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void apply(String json) {
        try {
            JobControlMessage m = Json.mapper().readValue(json, JobControlMessage.class);
            if (JobControlMessage.TYPE_CANCEL.equals(m.type()) && m.jobId() != null) {
                cancelled.add(m.jobId());
            }
        } catch (JsonProcessingException e) {
            LOG.warnf("ignoring malformed job-control message: %s", e.getOriginalMessage());
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
