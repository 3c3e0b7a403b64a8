package io.campanile.bench.messaging;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/** What the queue benchmark reads of Kafka: the records' timestamps of a topic, and a bare hop's latency. */
public final class KafkaTimes {
    private KafkaTimes() {}

    /** The timestamp (ms since the epoch, set by the producer) of each job's record on the topic. */
    public static Map<String, Long> timestamps(String bootstrap, String topic, List<String> ids) {
        Map<String, Long> out = new HashMap<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(consumerProps(bootstrap))) {
            c.seekToBeginning(assignAll(c, topic));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            // the topic holds other jobs too (the warm-ups): read until every one asked for is there
            while (!out.keySet().containsAll(ids) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
                    if (r.key() != null) {
                        out.putIfAbsent(r.key(), r.timestamp());
                    }
                }
            }
        }
        return out;
    }

    /** One bare hop on the broker, {@code count} times: producer send to consumer poll, ms each. */
    public static double[] bareHop(String bootstrap, int count) throws Exception {
        String topic = "bench-bare-hop";
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("acks", "all");
        p.put("enable.idempotence", true);
        p.put("linger.ms", 0);
        p.put("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
        p.put("value.serializer", "org.apache.kafka.common.serialization.StringSerializer");
        double[] ms = new double[count];
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p);
                KafkaConsumer<String, String> c = new KafkaConsumer<>(consumerProps(bootstrap))) {
            List<TopicPartition> partitions = assignAll(c, topic);
            c.seekToEnd(partitions);
            partitions.forEach(c::position);
            for (int i = -20; i < count; i++) { // 20 unmeasured first
                long t0 = System.nanoTime();
                producer.send(new ProducerRecord<>(topic, "k" + i, "{\"n\":" + i + "}"));
                int got = 0;
                while (got == 0) {
                    got = c.poll(Duration.ofMillis(100)).count();
                }
                if (i >= 0) {
                    ms[i] = (System.nanoTime() - t0) / 1e6;
                }
                Thread.sleep(5);
            }
        }
        return ms;
    }

    /** Assigns the consumer every partition of the topic (no group to join); the partitions. */
    private static List<TopicPartition> assignAll(KafkaConsumer<String, String> c, String topic) {
        List<TopicPartition> partitions = c.partitionsFor(topic).stream()
                .map(i -> new TopicPartition(topic, i.partition()))
                .toList();
        c.assign(partitions);
        return partitions;
    }

    private static Properties consumerProps(String bootstrap) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("enable.auto.commit", false);
        p.put("key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
        p.put("value.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
        return p;
    }
}
