package io.campanile.gateway.messaging;

import io.campanile.platform.KafkaConfig;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.jboss.logging.Logger;

/**
 * Whether Kafka answers, probed at start and every few seconds; the topics are created on the first answer. New jobs
 * are refused with 503 while it does not ({@code JobSubmission}): they would sit in the outbox with nobody to run
 * them, and the client is better told to retry.
 */
@ApplicationScoped
public class BrokerStatus {
    private static final Logger LOG = Logger.getLogger(BrokerStatus.class);
    private final KafkaConfig kafka;
    private Admin admin;
    private volatile boolean available;
    private volatile boolean topicsReady;

    @Inject
    BrokerStatus(KafkaConfig kafka) {
        this.kafka = kafka;
    }

    /**
     * Checks the topic layout (a bad {@code campanile.kafka.*} value fails the start naming its key; the probes would
     * only log it), then probes once, so jobs are refused until Kafka answered.
     */
    void onStart(@Observes StartupEvent ev) {
        kafka.topicAdmin();
        probe();
    }

    @Scheduled(
            every = "${campanile.gateway.broker-probe-interval:3s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void probe() {
        try {
            admin().describeCluster().nodes().get(2, TimeUnit.SECONDS);
            if (!topicsReady) {
                kafka.topicAdmin().ensureTopics(kafka.bootstrapServers());
                topicsReady = true;
            }
            if (!available) {
                LOG.info("Kafka reachable again");
            }
            available = true;
        } catch (Exception e) {
            if (available) {
                LOG.warnf("Kafka unreachable at %s: %s", kafka.bootstrapServers(), e.toString());
            }
            available = false;
        }
    }

    /** Records the result of a real publish, which is fresher than the last probe. */
    public void report(boolean ok) {
        available = ok;
    }

    /** Whether Kafka answered the last probe or publish. */
    public boolean available() {
        return available;
    }

    private synchronized Admin admin() {
        if (admin == null) {
            Properties p = new Properties();
            p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000);
            p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2000);
            admin = Admin.create(p);
        }
        return admin;
    }
}
