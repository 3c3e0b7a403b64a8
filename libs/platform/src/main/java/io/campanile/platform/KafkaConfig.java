package io.campanile.platform;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Kafka configuration shared by every service ({@code campanile.kafka.*}). */
@ConfigMapping(prefix = "campanile.kafka")
public interface KafkaConfig {
    /** Broker list for every client of the service. */
    @WithDefault("localhost:19092")
    String bootstrapServers();

    /** Partitions of each worker topic: the most replicas of one worker kind that can share its load. */
    @WithDefault("6")
    int workerPartitions();

    /** Partitions of job-events. */
    @WithDefault("6")
    int eventPartitions();

    /** Replication factor of the topics the service creates (1 on a single broker). */
    @WithDefault("1")
    short replicationFactor();

    /** The topic layout, checked: a value below 1 fails the start naming its key. */
    default TopicAdmin topicAdmin() {
        requirePositive("campanile.kafka.worker-partitions", workerPartitions());
        requirePositive("campanile.kafka.event-partitions", eventPartitions());
        requirePositive("campanile.kafka.replication-factor", replicationFactor());
        return new TopicAdmin(workerPartitions(), eventPartitions(), replicationFactor());
    }

    /** Client settings with the given client id prefix. */
    default KafkaSettings settings(String clientId) {
        return new KafkaSettings(bootstrapServers(), clientId);
    }

    private static void requirePositive(String key, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(key + " must be at least 1, was " + value);
        }
    }
}
