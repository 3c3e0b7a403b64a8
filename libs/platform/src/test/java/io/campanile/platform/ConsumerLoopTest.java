package io.campanile.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.campanile.testkit.Infrastructure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;

/** Offsets are committed after the handler; a record still failing when the loop closes is kept, not lost. */
class ConsumerLoopTest {
    @Test
    void aRecordRetriedWhenTheLoopClosesIsRedeliveredNotDeadLettered() throws Exception {
        KafkaSettings settings = new KafkaSettings(Infrastructure.kafka().bootstrapServers(), "loop-test");
        String topic = "loop-test-" + UUID.randomUUID();
        String group = "group-" + topic;
        new TopicAdmin(6, 6, (short) 1).ensureTopics(settings.bootstrapServers()); // dead-letters among them
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", settings.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        List<String> deadLettered = new ArrayList<>();
        try (JsonProducer producer = new JsonProducer(settings)) {
            producer.sendRaw(topic, "k", "payload");
            CountDownLatch tried = new CountDownLatch(1);
            ConsumerLoop.RecordHandler failing = new ConsumerLoop.RecordHandler() {
                @Override
                public void handle(ConsumerRecord<String, String> record, BooleanSupplier handBack) {
                    tried.countDown();
                    throw new ConsumerLoop.RetriableException("storage restarting", null);
                }

                @Override
                public void onDeadLetter(ConsumerRecord<String, String> record, String reason) {
                    deadLettered.add(reason);
                }
            };
            ConsumerLoop loop = new ConsumerLoop(
                    "loop-test",
                    settings.consumer(group, 10, 300_000),
                    List.of(topic),
                    failing,
                    new DeadLetters(producer, "loop-test"),
                    100);
            loop.start();
            assertTrue(tried.await(60, TimeUnit.SECONDS), "the handler was never called");
            loop.close();
        }
        assertEquals(List.of(), deadLettered, "a record in retry at shutdown must not be dead-lettered");

        // the same group sees the record again: its offset was not committed
        Properties p = settings.consumer(group, 10, 300_000);
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p)) {
            c.subscribe(List.of(topic));
            List<String> seen = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (seen.isEmpty() && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(r -> seen.add(r.value()));
            }
            assertEquals(List.of("payload"), seen);
        }
    }
}
