package io.campanile.platform;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.campanile.contracts.JobControlMessage;
import io.campanile.contracts.Json;
import io.campanile.contracts.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * Every worker instance reads the whole compacted {@link Topics#JOB_CONTROL} topic (its own consumer group, from the
 * beginning) and keeps the ids of cancelled jobs, which the job loops check before they start and between steps.
 */
public final class CancellationRegistry implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(CancellationRegistry.class);
    private final Set<UUID> cancelled = ConcurrentHashMap.newKeySet();
    private final Properties props;
    private volatile KafkaConsumer<String, String> consumer;
    /** Asks the end offsets of job-control for {@link #awaitCaughtUp}; never subscribes. */
    private final KafkaConsumer<String, String> ends;
    /** The registry's read position per job-control partition. */
    private final Map<TopicPartition, Long> read = new ConcurrentHashMap<>();

    private final Thread thread;
    private volatile boolean running = true;

    public CancellationRegistry(KafkaSettings settings, String instanceId) {
        Properties p = settings.consumer("control-" + instanceId + "-" + UUID.randomUUID(), 500, 300_000);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, true);
        this.props = p;
        this.ends = new KafkaConsumer<>(settings.consumer("control-ends-" + instanceId, 1, 300_000));
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

    /**
     * Waits, at most {@code max}, until every cancellation on job-control when called has been read. A worker asks
     * before it starts a job, so that a job cancelled while it waited in its partition is skipped even when this
     * registry is still reading job-control (a worker that has just started, a cancellation sent a moment ago).
     *
     * @return false when it gave up (job-control unreachable or not read in time)
     */
    public boolean awaitCaughtUp(Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        Map<TopicPartition, Long> end;
        try {
            synchronized (ends) {
                List<TopicPartition> partitions = ends.partitionsFor(Topics.JOB_CONTROL, max).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition()))
                        .toList();
                if (!ends.assignment().containsAll(partitions)) {
                    // Assigned (never polled): the client otherwise warns on every answer that the partitions are
                    // "no longer assigned".
                    ends.assign(partitions);
                }
                end = ends.endOffsets(partitions, max);
            }
        } catch (KafkaException e) {
            LOG.warnf("job-control end offsets unknown, starting without them: %s", e.toString());
            return false;
        }
        while (!end.entrySet().stream().allMatch(e -> read.getOrDefault(e.getKey(), 0L) >= e.getValue())) {
            if (System.nanoTime() > deadline || !running) {
                LOG.warnf("job-control not read up to %s within %s", end, max);
                return false;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /**
     * Reads job-control until closed; anything that escapes the consumer closes it, and a new one picks up where the
     * group's committed offsets are, after a back-off: the registry never stops reading silently.
     */
    private void run() {
        for (int failures = 0; running; failures++) {
            if (readUntilClosed()) {
                return;
            }
            Backoff.sleep(Backoff.delayMillis(failures));
        }
    }

    /** True when closed, false when the consumer failed. */
    private boolean readUntilClosed() {
        KafkaConsumer<String, String> c = new KafkaConsumer<>(props);
        consumer = c;
        if (!running) {
            c.close(Duration.ZERO);
            return true;
        }
        try {
            c.subscribe(List.of(Topics.JOB_CONTROL));
            while (running) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(300))) {
                    apply(r.value());
                }
                for (TopicPartition tp : c.assignment()) {
                    try {
                        read.put(tp, c.position(tp, Duration.ofMillis(500)));
                    } catch (TimeoutException e) {
                        // not known yet: asked again after the next poll
                    }
                }
            }
            return true;
        } catch (WakeupException e) {
            return !running;
        } catch (RuntimeException | Error e) {
            LOG.error("job-control consumer failed; recreating it", e);
            return false;
        } finally {
            c.close(Duration.ofSeconds(2));
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
        KafkaConsumer<String, String> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (ends) {
            ends.close(Duration.ofSeconds(2));
        }
    }
}
