package io.campanile.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import io.campanile.contracts.Json;
import io.campanile.contracts.Topics;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * What the workers reported, read from the job-events topic itself: how often each stage started a job, and how
 * many terminal events (distinct event ids) it got. The gateway keeps only the first terminal state, so a job run twice looks fine in its
 * row; the topic shows it. Reads on from where the last call stopped, up to the topic's end at the time of the call.
 */
final class JobEvents implements AutoCloseable {
    private final KafkaConsumer<String, String> consumer;
    private final Map<String, Summary> jobs = new HashMap<>();

    /** One job's events: starts per stage (the source without its replica number), and terminal events by type. */
    static final class Summary {
        final Map<String, Integer> starts = new HashMap<>();
        final Map<String, Integer> terminal = new HashMap<>();
        /** The ids of the terminal events counted. */
        final Set<String> terminalIds = new HashSet<>();

        int maxAttempt;

        /** The most starts of any one stage. */
        int mostStarts() {
            return starts.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        }

        int terminalEvents(String type) {
            return terminal.getOrDefault(type, 0);
        }
    }

    JobEvents(String bootstrap) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("group.id", "chaos-reader-" + UUID.randomUUID());
        p.put("enable.auto.commit", "false");
        p.put("key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
        p.put("value.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
        consumer = new KafkaConsumer<>(p);
    }

    /** Reads every event published so far and returns the summaries of all jobs seen. */
    synchronized Map<String, Summary> readToEnd(Duration atMost) {
        if (consumer.assignment().isEmpty()) {
            List<PartitionInfo> partitions = consumer.partitionsFor(Topics.JOB_EVENTS, atMost);
            List<TopicPartition> tps = partitions.stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
        }
        Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment(), atMost);
        long deadline = System.nanoTime() + atMost.toNanos();
        while (!caughtUp(end) && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(500)).forEach(this::apply);
        }
        if (!caughtUp(end)) {
            throw new IllegalStateException("job-events not read to its end within " + atMost);
        }
        return jobs;
    }

    private boolean caughtUp(Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    private void apply(ConsumerRecord<String, String> r) {
        JsonNode e;
        try {
            e = Json.mapper().readTree(r.value());
        } catch (IOException ex) {
            return; // not ours to judge: the gateway dead-letters malformed events
        }
        if (!e.hasNonNull("jobId") || !e.hasNonNull("event")) {
            return;
        }
        Summary s = jobs.computeIfAbsent(e.get("jobId").asText(), k -> new Summary());
        String event = e.get("event").asText();
        if (event.equals("STARTED")) {
            s.starts.merge(stage(e.path("source").asText("?")), 1, Integer::sum);
            s.maxAttempt = Math.max(s.maxAttempt, e.path("attempt").asInt(0));
        } else if (Database.TERMINAL.contains(event)
                && s.terminalIds.add(e.path("eventId").asText(r.partition() + ":" + r.offset()))) {
            // one event published again (a duplicate delivery re-sends the final event its worker recorded) is still
            // one terminal event: the gateway applies an event id once
            s.terminal.merge(event, 1, Integer::sum);
        }
    }

    /** {@code stage1-worker-2} and {@code stage1-worker-1} are one stage. */
    static String stage(String source) {
        return source.replaceFirst("-\\d+$", "");
    }

    @Override
    public synchronized void close() {
        consumer.close();
    }
}
