package io.campanile.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The topic layout a service starts with: each misconfiguration fails naming its key. */
class KafkaConfigTest {

    static KafkaConfig config(int workerPartitions, int eventPartitions, int replicationFactor) {
        return new KafkaConfig() {
            @Override
            public String bootstrapServers() {
                return "localhost:19092";
            }

            @Override
            public int workerPartitions() {
                return workerPartitions;
            }

            @Override
            public int eventPartitions() {
                return eventPartitions;
            }

            @Override
            public short replicationFactor() {
                return (short) replicationFactor;
            }
        };
    }

    @Test
    void theDefaultsAreAValidLayout() {
        TopicAdmin admin = config(6, 6, 1).topicAdmin();
        assertEquals(6, admin.workerPartitions());
    }

    @Test
    void fewerThanSixWorkerPartitionsFailNamingTheKey() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> config(5, 6, 1).topicAdmin());
        assertEquals("campanile.kafka.worker-partitions must be at least 6, was 5", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new TopicAdmin(1, 6, (short) 1));
    }

    @Test
    void eventPartitionsAndReplicationFactorMustBePositive() {
        assertEquals(
                "campanile.kafka.event-partitions must be at least 1, was 0",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> config(6, 0, 1).topicAdmin())
                        .getMessage());
        assertEquals(
                "campanile.kafka.replication-factor must be at least 1, was 0",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> config(6, 6, 0).topicAdmin())
                        .getMessage());
    }
}
