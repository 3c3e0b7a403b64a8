package io.campanile.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedInfrastructureTest {

    @Test
    void postgresKeepsRowsAcrossARestartInTheSameDataDirectory(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("pg");
        try (EmbeddedPostgres pg = EmbeddedPostgres.start(data, 0);
                Connection c = pg.connect()) {
            c.createStatement().execute("create table t (v int)");
            c.createStatement().execute("insert into t values (42)");
        }
        try (EmbeddedPostgres pg = EmbeddedPostgres.start(data, 0);
                Connection c = pg.connect();
                ResultSet rs = c.createStatement().executeQuery("select v from t")) {
            rs.next();
            assertEquals(42, rs.getInt(1));
        }
    }

    @Test
    void kafkaKeepsMessagesAcrossARestartOnAFixedPort(@TempDir Path dir) throws Exception {
        Path logs = Files.createDirectories(dir.resolve("kafka"));
        int port = 19392;
        try (EmbeddedKafka kafka = EmbeddedKafka.start(logs, port)) {
            assertEquals("localhost:" + port, kafka.bootstrapServers());
            Properties p = new Properties();
            p.put("bootstrap.servers", kafka.bootstrapServers());
            try (Admin admin = Admin.create(p)) {
                admin.createTopics(List.of(new NewTopic("t", 3, (short) 1)))
                        .all()
                        .get(30, TimeUnit.SECONDS);
            }
            p.put("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
            p.put("value.serializer", "org.apache.kafka.common.serialization.StringSerializer");
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
                producer.send(new ProducerRecord<>("t", "k", "hello")).get(30, TimeUnit.SECONDS);
            }
        }
        try (EmbeddedKafka kafka = EmbeddedKafka.start(logs, port)) {
            Properties p = new Properties();
            p.put("bootstrap.servers", kafka.bootstrapServers());
            p.put("group.id", "g");
            p.put("auto.offset.reset", "earliest");
            p.put("key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
            p.put("value.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
                consumer.subscribe(List.of("t"));
                String got = null;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (got == null && System.nanoTime() < deadline) {
                    ConsumerRecords<String, String> rs = consumer.poll(Duration.ofMillis(500));
                    if (!rs.isEmpty()) {
                        got = rs.iterator().next().value();
                    }
                }
                assertEquals("hello", got);
            }
        }
    }
}
