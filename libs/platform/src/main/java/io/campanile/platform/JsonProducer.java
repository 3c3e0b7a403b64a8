package io.campanile.platform;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.campanile.contracts.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Publishes JSON messages keyed by job id and waits for the broker's acknowledgement. Thread-safe. */
public final class JsonProducer implements AutoCloseable {
    private final KafkaProducer<String, String> producer;

    public JsonProducer(KafkaSettings settings) {
        this.producer = new KafkaProducer<>(settings.producer());
    }

    /** Sends a record of already-serialised JSON and blocks until it is acknowledged. */
    public void sendRaw(String topic, String key, String json) {
        try {
            producer.send(new ProducerRecord<>(topic, key, json)).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerUnavailableException("interrupted while publishing to " + topic, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new BrokerUnavailableException("could not publish to " + topic + ": " + e.getMessage(), e);
        }
    }

    /** A record of already-serialised JSON. */
    public record Raw(String topic, String key, String json) {}

    /** Sends all records, then waits until every one is acknowledged (order per key is kept). */
    public void sendAll(List<Raw> records) {
        List<Future<?>> acks = new ArrayList<>();
        for (Raw r : records) {
            acks.add(producer.send(new ProducerRecord<>(r.topic(), r.key(), r.json())));
        }
        for (Future<?> ack : acks) {
            try {
                ack.get(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BrokerUnavailableException("interrupted while publishing", e);
            } catch (ExecutionException | TimeoutException e) {
                throw new BrokerUnavailableException("could not publish: " + e.getMessage(), e);
            }
        }
    }

    /**
     * Serialises and sends {@code message} without waiting: the caller awaits the returned acknowledgement later
     * ({@link #await}). Records of one key keep their order (one partition, idempotent producer).
     */
    public Future<?> sendAsync(String topic, String key, Object message) {
        return producer.send(new ProducerRecord<>(topic, key, toJson(message)));
    }

    /** Waits for acknowledgements of {@link #sendAsync}; a failure is a {@link BrokerUnavailableException}. */
    public static void await(List<Future<?>> acks) {
        for (Future<?> ack : acks) {
            try {
                ack.get(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BrokerUnavailableException("interrupted while publishing", e);
            } catch (ExecutionException | TimeoutException e) {
                throw new BrokerUnavailableException("could not publish: " + e.getMessage(), e);
            }
        }
    }

    /** Serialises {@code message} with the contracts' mapper, sends it and waits for the acknowledgement. */
    public void send(String topic, String key, Object message) {
        sendRaw(topic, key, toJson(message));
    }

    /** The contracts' JSON of a message. */
    public static String toJson(Object message) {
        try {
            return Json.mapper().writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(
                    "cannot serialise " + message.getClass().getSimpleName(), e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
