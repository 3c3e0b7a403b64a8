package io.campanile.platform;

import io.campanile.contracts.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the system's topics when they are missing (idempotent; every service calls it at start).
 *
 * @param workerPartitions partitions of each worker topic: the most replicas of one worker kind that share load
 * @param eventPartitions partitions of job-events
 * @param replicationFactor replicas of each partition (1 on a single broker)
 */
public record TopicAdmin(int workerPartitions, int eventPartitions, short replicationFactor) {
    /** The fewest partitions of a worker topic: each worker kind can scale to at least this many replicas. */
    public static final int MIN_WORKER_PARTITIONS = 6;

    /** How long dead letters are kept: 14 days, in milliseconds. */
    public static final long DEAD_LETTER_RETENTION_MS = 14L * 24 * 60 * 60 * 1000;

    public TopicAdmin {
        if (workerPartitions < MIN_WORKER_PARTITIONS) {
            throw new IllegalArgumentException(
                    "worker topics need at least " + MIN_WORKER_PARTITIONS + " partitions, got " + workerPartitions);
        }
        if (eventPartitions < 1 || replicationFactor < 1) {
            throw new IllegalArgumentException("partitions and replication factor must be at least 1");
        }
    }

    /** The topics with their partition counts. */
    public List<NewTopic> layout() {
        List<NewTopic> topics = new ArrayList<>();
        for (String t : Topics.WORKER_TOPICS) {
            topics.add(new NewTopic(t, workerPartitions, replicationFactor));
        }
        topics.add(new NewTopic(Topics.JOB_EVENTS, eventPartitions, replicationFactor));
        // Read live by every gateway replica from its latest offset: an hour of history is plenty.
        topics.add(new NewTopic(Topics.JOB_UPDATES, eventPartitions, replicationFactor)
                .configs(Map.of("retention.ms", "3600000")));
        // Kept for operators to look into after an incident, then pruned by Kafka: two weeks, whatever the broker's
        // default retention (issue 15: nothing is kept for ever).
        topics.add(new NewTopic(Topics.DEAD_LETTERS, 1, replicationFactor)
                .configs(Map.of("retention.ms", String.valueOf(DEAD_LETTER_RETENTION_MS))));
        topics.add(new NewTopic(Topics.JOB_CONTROL, 1, replicationFactor).configs(Map.of("cleanup.policy", "compact")));
        return topics;
    }

    /**
     * Creates whatever topic of {@link #layout()} is missing; existing topics are left as they are. A broker that does
     * not answer in time is asked again, for up to a minute in all (a loaded machine, a broker still starting).
     */
    public void ensureTopics(String bootstrapServers) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                ensureOnce(bootstrapServers);
                return;
            } catch (BrokerUnavailableException e) {
                if (System.nanoTime() > deadline || Thread.currentThread().isInterrupted()) {
                    throw e;
                }
            }
        }
    }

    private void ensureOnce(String bootstrapServers) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15000);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        try (Admin admin = Admin.create(p)) {
            Set<String> existing = admin.listTopics().names().get(15, TimeUnit.SECONDS);
            List<NewTopic> missing =
                    layout().stream().filter(t -> !existing.contains(t.name())).toList();
            if (missing.isEmpty()) {
                return;
            }
            try {
                admin.createTopics(missing).all().get(15, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerUnavailableException("interrupted while creating topics", e);
        } catch (Exception e) {
            throw new BrokerUnavailableException("could not create topics on " + bootstrapServers + ": " + e, e);
        }
    }
}
