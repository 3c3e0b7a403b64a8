package io.campanile.platform;

import io.campanile.contracts.DeadLetterMessage;
import io.campanile.contracts.Topics;
import java.time.Instant;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

/** Sends unprocessable records to {@link Topics#DEAD_LETTERS} with the reason. */
public final class DeadLetters {
    private static final Logger LOG = Logger.getLogger(DeadLetters.class);
    private final JsonProducer producer;
    private final String consumerName;

    public DeadLetters(JsonProducer producer, String consumerName) {
        this.producer = producer;
        this.consumerName = consumerName;
    }

    public void publish(ConsumerRecord<String, String> r, String reason) {
        UUID jobId = Ids.parseOrNull(r.key());
        LOG.warnf("dead letter from %s-%d@%d (job %s): %s", r.topic(), r.partition(), r.offset(), jobId, reason);
        producer.send(
                Topics.DEAD_LETTERS,
                r.key(),
                new DeadLetterMessage(
                        UUID.randomUUID(),
                        jobId,
                        DeadLetterMessage.TYPE,
                        DeadLetterMessage.SCHEMA_VERSION,
                        consumerName,
                        r.topic(),
                        r.partition(),
                        r.offset(),
                        reason,
                        r.value(),
                        Instant.now()));
    }
}
