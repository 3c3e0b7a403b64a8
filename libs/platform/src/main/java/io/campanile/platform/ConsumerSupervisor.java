package io.campanile.platform;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.jboss.logging.Logger;

/**
 * The body of a {@link ConsumerLoop}'s polling thread: creates the consumer, lets the {@link Poller} poll until the
 * loop closes, and when anything escapes (a commit failure, an {@link Error}) closes that consumer and makes a new
 * one after a {@link Backoff}, while the work in flight goes on. Counts the restarts for the health checks.
 */
final class ConsumerSupervisor implements Runnable {
    private static final Logger LOG = Logger.getLogger(ConsumerLoop.class);

    private final String name;
    private final Properties props;
    private final List<String> topics;
    private final Function<Properties, KafkaConsumer<String, String>> consumers;
    private final Poller poller;
    private final AtomicInteger restarts = new AtomicInteger();

    ConsumerSupervisor(
            String name,
            Properties props,
            List<String> topics,
            Function<Properties, KafkaConsumer<String, String>> consumers,
            Poller poller) {
        this.name = name;
        this.props = props;
        this.topics = List.copyOf(topics);
        this.consumers = consumers;
        this.poller = poller;
    }

    /** How many times a consumer failed and was recreated. */
    int restarts() {
        return restarts.get();
    }

    /** Creates the consumer, polls until closed, and recreates it with back-off after anything escapes. */
    @Override
    public void run() {
        int failures = 0;
        while (true) {
            KafkaConsumer<String, String> consumer = null;
            try {
                consumer = consumers.apply(props);
                consumer.subscribe(topics, poller.rebalanceListener(consumer));
                if (poller.pollUntilClosed(consumer)) {
                    return;
                }
                failures = 0;
            } catch (Throwable t) {
                failures++;
                restarts.incrementAndGet();
                LOG.errorf(t, "consumer %s failed (%d in a row); recreating it", name, failures);
            } finally {
                poller.consumerClosed();
                closeQuietly(consumer);
            }
            if (poller.closing() && poller.idle()) {
                return;
            }
            Backoff.sleep(Backoff.delayMillis(failures));
        }
    }

    private static void closeQuietly(KafkaConsumer<String, String> consumer) {
        if (consumer == null) {
            return;
        }
        try {
            consumer.close(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            LOG.debugf(e, "closing a consumer");
        }
    }
}
