package io.campanile.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL and the Kafka broker process can be taken away from running clients and brought back on the same data
 * and port, and the clients carry on: what the chaos suite's outage scenarios rely on.
 */
class RestartableInfrastructureTest {

    @Test
    void postgresStopsAndStartsOnTheSamePortAndDataWhileAClientReconnects() throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.start(null, 0)) {
            String url = "jdbc:postgresql://localhost:" + pg.port() + "/postgres";
            try (Connection c = DriverManager.getConnection(url, EmbeddedPostgres.USER, EmbeddedPostgres.PASSWORD)) {
                c.createStatement().execute("create table t (v int)");
                c.createStatement().execute("insert into t values (7)");
            }
            int port = pg.port();
            pg.stop();
            assertFalse(pg.isRunning());
            assertThrows(
                    SQLException.class,
                    () -> DriverManager.getConnection(url, EmbeddedPostgres.USER, EmbeddedPostgres.PASSWORD));
            pg.start();
            assertEquals(port, pg.port());
            try (Connection c = DriverManager.getConnection(url, EmbeddedPostgres.USER, EmbeddedPostgres.PASSWORD);
                    ResultSet rs = c.createStatement().executeQuery("select v from t")) {
                assertTrue(rs.next());
                assertEquals(7, rs.getInt(1));
            }
        }
    }

    @Test
    void aThrowAwayDatabaseFolderIsDeletedOnClose() throws Exception {
        Path data;
        try (EmbeddedPostgres pg = EmbeddedPostgres.start(null, 0);
                ResultSet rs = pg.connect().createStatement().executeQuery("show data_directory")) {
            rs.next();
            data = Path.of(rs.getString(1));
            assertTrue(Files.isDirectory(data));
        }
        assertFalse(Files.exists(data));
    }

    private static Properties client(KafkaProcess kafka) {
        Properties p = new Properties();
        p.put("bootstrap.servers", kafka.bootstrapServers());
        p.put("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
        p.put("value.serializer", "org.apache.kafka.common.serialization.StringSerializer");
        p.put("key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
        p.put("value.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
        p.put("delivery.timeout.ms", "120000");
        p.put("max.block.ms", "120000");
        return p;
    }

    @Test
    void kafkaInItsOwnProcessSurvivesAStopAndACrashAndItsClientsReconnect(@TempDir Path dir) throws Exception {
        try (KafkaProcess kafka = KafkaProcess.start(null, 0, dir.resolve("kafka.log"))) {
            Properties p = client(kafka);
            try (Admin admin = Admin.create(p)) {
                admin.createTopics(List.of(new NewTopic("t", 2, (short) 1)))
                        .all()
                        .get(30, TimeUnit.SECONDS);
            }
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
                producer.send(new ProducerRecord<>("t", "k", "before")).get(30, TimeUnit.SECONDS);
                kafka.stop();
                assertFalse(kafka.isRunning());
                // send() waits for the partition's leader, so the broker comes back from another thread meanwhile
                CompletableFuture<Void> restarted = CompletableFuture.runAsync(() -> {
                    try {
                        Thread.sleep(2000);
                        kafka.start();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                producer.send(new ProducerRecord<>("t", "k", "while stopped")).get(90, TimeUnit.SECONDS);
                restarted.get(90, TimeUnit.SECONDS);
                kafka.kill();
                kafka.start();
                producer.send(new ProducerRecord<>("t", "k", "after a crash")).get(60, TimeUnit.SECONDS);
            }
            assertEquals(List.of("before", "while stopped", "after a crash"), readAll(p, 3));
        }
    }

    private static List<String> readAll(Properties p, int count) {
        p.put("group.id", "reader");
        p.put("auto.offset.reset", "earliest");
        List<String> got = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            consumer.subscribe(List.of("t"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (got.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(r -> got.add(r.value()));
            }
        }
        return got;
    }
}
