package io.campanile.platform;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/** When a consumer last had everything handled that was written to its partitions (for the loop's health). */
final class CaughtUp {
    private static final Logger LOG = Logger.getLogger(ConsumerLoop.class);

    private CaughtUp() {}

    /**
     * Asks the broker for the end of every assigned partition: when the loop has handled everything up to them, every
     * record written before the question was handled, and the time of the question is returned. Otherwise, or when
     * the broker does not answer, {@code previous}.
     */
    static Instant check(KafkaConsumer<String, String> consumer, Instant previous) {
        Instant before = Instant.now();
        Set<TopicPartition> assigned = consumer.assignment();
        try {
            Map<TopicPartition, Long> ends = consumer.endOffsets(assigned, Duration.ofSeconds(2));
            for (TopicPartition tp : assigned) {
                if (consumer.position(tp, Duration.ofSeconds(2)) < ends.getOrDefault(tp, Long.MAX_VALUE)) {
                    return previous;
                }
            }
            return before;
        } catch (KafkaException e) {
            LOG.debugf("end offsets unknown: %s", e.getMessage());
            return previous;
        }
    }
}
