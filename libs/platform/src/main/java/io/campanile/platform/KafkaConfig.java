package io.campanile.platform;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Kafka configuration shared by every service ({@code campanile.kafka.*}). */
@ConfigMapping(prefix = "campanile.kafka")
public interface KafkaConfig {
    /** Broker list for every client of the service. */
    @WithDefault("localhost:19092")
    String bootstrapServers();

    /**
     * Partitions of each worker topic: the most replicas of one worker kind that can share its load; at least
     * {@link TopicAdmin#MIN_WORKER_PARTITIONS}, so every worker kind can scale to that many replicas.
     */
    @WithDefault("6")
    int workerPartitions();

    /** Partitions of job-events. */
    @WithDefault("6")
    int eventPartitions();

    /** Replication factor of the topics the service creates (1 on a single broker). */
    @WithDefault("1")
    short replicationFactor();

    /**
     * The topic layout, checked: worker partitions below {@link TopicAdmin#MIN_WORKER_PARTITIONS} or any other value
     * below 1 fail the start naming the key.
     */
    default TopicAdmin topicAdmin() {
        requireAtLeast("campanile.kafka.worker-partitions", workerPartitions(), TopicAdmin.MIN_WORKER_PARTITIONS);
        requireAtLeast("campanile.kafka.event-partitions", eventPartitions(), 1);
        requireAtLeast("campanile.kafka.replication-factor", replicationFactor(), 1);
        return new TopicAdmin(workerPartitions(), eventPartitions(), replicationFactor());
    }

    /** Client settings with the given client id prefix. */
    default KafkaSettings settings(String clientId) {
        return new KafkaSettings(bootstrapServers(), clientId);
    }

    private static void requireAtLeast(String key, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(key + " must be at least " + min + ", was " + value);
        }
    }
}
