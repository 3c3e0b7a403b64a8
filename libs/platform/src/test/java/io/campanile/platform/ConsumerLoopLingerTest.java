package io.campanile.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.campanile.testkit.Infrastructure;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

/**
 * The batch linger gathers a burst's records, but a record after a quiet spell is handed on at once: nothing is
 * likely to join it, so waiting would only add to its latency (the text encoder's first job, say).
 */
class ConsumerLoopLingerTest {
    private static final Duration LINGER = Duration.ofSeconds(3);

    @Test
    void aLoneRecordGoesAtOnceAndABurstIsGathered() throws Exception {
        KafkaSettings settings = new KafkaSettings(Infrastructure.kafka().bootstrapServers(), "linger-test");
        String topic = "linger-test-" + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", settings.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        BlockingQueue<Integer> batches = new LinkedBlockingQueue<>();
        ConsumerLoop loop = new ConsumerLoop(
                topic,
                settings.consumer("group-" + topic, 8, 300_000),
                List.of(topic),
                batch -> {
                    batch.records().forEach(batch::done);
                    batches.add(batch.records().size());
                },
                new ConsumerLoop.Settings(Duration.ofSeconds(5), Duration.ofSeconds(60), 8, LINGER));
        loop.start();
        try (JsonProducer producer = new JsonProducer(settings)) {
            Thread.sleep(LINGER.multipliedBy(Poller.BUSY_LINGERS).toMillis()); // quiet: longer than 5 lingers
            long t0 = System.nanoTime();
            producer.sendRaw(topic, "k", "alone");
            assertEquals(1, batches.poll(60, TimeUnit.SECONDS), "the lone record went on its own");
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertTrue(seconds < LINGER.toSeconds() - 1, "a lone record waited " + seconds + " s for company");
            producer.sendRaw(topic, "k", "first");
            Thread.sleep(300);
            producer.sendRaw(topic, "k", "second");
            assertEquals(2, batches.poll(60, TimeUnit.SECONDS), "records coming together are gathered");
        } finally {
            loop.close();
        }
    }
}
