package io.campanile.textencoder;

import io.campanile.contracts.Json;
import io.campanile.platform.JsonProducer;
import io.campanile.platform.KafkaSettings;
import io.campanile.testkit.Infrastructure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/** Sends test requests and reads what the text encoder published, from the beginning of a topic. */
final class KafkaProbe implements AutoCloseable {
    private final KafkaSettings settings =
            new KafkaSettings(Infrastructure.kafka().bootstrapServers(), "probe");
    private final JsonProducer producer = new JsonProducer(settings);

    void send(String topic, String key, Object message) {
        producer.send(topic, key, message);
    }

    /** Sends all at once, then waits for the acknowledgements: the consumer sees them close together. */
    void sendAll(String topic, List<? extends Keyed> messages) {
        producer.sendAll(messages.stream()
                .map(m -> new JsonProducer.Raw(topic, m.key(), JsonProducer.toJson(m.value())))
                .toList());
    }

    /** A message and its key. */
    interface Keyed {
        String key();

        Object value();
    }

    /** Every message of {@code topic} keyed {@code key} that arrives within {@code timeout}, once {@code count} did. */
    <T> List<T> await(String topic, String key, Class<T> type, int count, Duration timeout) {
        Properties p = settings.consumer("probe-" + UUID.randomUUID(), 500, 300_000);
        List<T> found = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p)) {
            c.subscribe(List.of(topic));
            while (found.size() < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
                    if (key.equals(r.key())) {
                        found.add(read(r.value(), type));
                    }
                }
            }
        }
        if (found.size() < count) {
            throw new AssertionError("expected " + count + " message(s) keyed " + key + " on " + topic + " within "
                    + timeout + ", got " + found.size());
        }
        return found;
    }

    private static <T> T read(String json, Class<T> type) {
        try {
            return Json.mapper().readValue(json, type);
        } catch (Exception e) {
            throw new AssertionError("unreadable message: " + json, e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
