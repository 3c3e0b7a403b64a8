package io.campanile.platform;

import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Client settings shared by every service.
 *
 * @param bootstrapServers broker list, e.g. {@code localhost:19092}
 * @param clientId prefix of client ids, normally the service instance name
 */
public record KafkaSettings(String bootstrapServers, String clientId) {
    /**
     * How long the group waits for a member that stopped heartbeating before it hands the member's partitions to the
     * others; a static member restarted within it gets its partitions back without a rebalance.
     */
    public static final int SESSION_TIMEOUT_MS = 30_000;

    /** A producer that waits for all in-sync replicas and fails fast when the broker is unreachable. */
    public Properties producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId + "-producer");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5000);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 4000);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 9000);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return p;
    }

    /**
     * A consumer in a group that commits offsets by hand, after the work is durable.
     *
     * @param groupId the consumer group; replicas of one worker kind share it
     * @param maxPollRecords records handed out per poll (1 for GPU workers: never hoard jobs another replica could run)
     * @param maxPollIntervalMs the longest the polling thread may go between polls before the group considers the
     *        consumer dead; jobs run off that thread ({@link ConsumerLoop}), so it does not bound a job
     */
    public Properties consumer(String groupId, int maxPollRecords, int maxPollIntervalMs) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId + "-" + groupId);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
        p.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, maxPollIntervalMs);
        // Incremental rebalancing: a member joining or leaving moves only the partitions that must move, and the
        // others keep running their jobs.
        p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, SESSION_TIMEOUT_MS);
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return p;
    }

    /**
     * {@link #consumer} as a static member named {@code instanceId}: a replica restarted under the same name within
     * {@link #SESSION_TIMEOUT_MS} takes its partitions back without stopping the group twice. The name must be unique
     * among the group's live members and stable across restarts (the local stack's service names, a pod's name).
     */
    public Properties staticConsumer(String groupId, String instanceId, int maxPollRecords, int maxPollIntervalMs) {
        Properties p = consumer(groupId, maxPollRecords, maxPollIntervalMs);
        p.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId + "-" + groupId + "-" + instanceId);
        return p;
    }
}
