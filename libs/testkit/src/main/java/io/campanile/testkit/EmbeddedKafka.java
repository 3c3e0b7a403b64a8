package io.campanile.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real single-node Kafka (KRaft, combined broker and controller) from kafka-test-common-runtime, no Docker.
 * Topics are never created automatically: services create theirs with the configured partition counts.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final String CLUSTER_ID = "Y2FtcGFuaWxlLWthZmthMQ";
    private final KafkaClusterTestKit cluster;
    private final String bootstrap;
    private final Path throwAwayDir;

    private EmbeddedKafka(KafkaClusterTestKit cluster, String bootstrap, Path throwAwayDir) {
        this.cluster = cluster;
        this.bootstrap = bootstrap;
        this.throwAwayDir = throwAwayDir;
    }

    /**
     * Starts a broker.
     *
     * @param baseDir folder for the logs, kept across restarts; null for a throw-away one
     * @param port fixed client port (an extra DEV listener), or 0 for the cluster's random port
     */
    public static EmbeddedKafka start(Path baseDir, int port) throws Exception {
        TestKitNodes.Builder nodes = new TestKitNodes.Builder()
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                .setClusterId(CLUSTER_ID);
        // Never let the test kit pick its own temporary folder: it registers a JVM shutdown hook that deletes the
        // folder while our own hook may still be stopping the broker, and a broker whose log folder vanishes halts
        // the JVM with status 1 (seen as a failed surefire fork on a slow CI machine). A throw-away folder of ours is
        // deleted by close() after the broker has stopped.
        boolean throwAway = baseDir == null;
        Path dir = throwAway ? Files.createTempDirectory("campanile-kafka-") : baseDir;
        nodes.setBaseDirectory(dir);
        KafkaClusterTestKit.Builder b = new KafkaClusterTestKit.Builder(nodes.build())
                .setDeleteOnClose(throwAway)
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("offsets.topic.num.partitions", "6")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("share.coordinator.state.topic.replication.factor", "1")
                .setConfigProp("share.coordinator.state.topic.min.isr", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .setConfigProp("auto.create.topics.enable", "false")
                .setConfigProp("log.cleaner.backoff.ms", "1000");
        if (port > 0) {
            b.setConfigProp("listeners", "EXTERNAL://localhost:0,CONTROLLER://localhost:0,DEV://localhost:" + port)
                    .setConfigProp(
                            "listener.security.protocol.map", "EXTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT,DEV:PLAINTEXT");
        }
        KafkaClusterTestKit cluster = b.build();
        if (throwAway || !alreadyFormatted(baseDir)) {
            cluster.format();
        }
        cluster.startup();
        cluster.waitForReadyBrokers();
        return new EmbeddedKafka(
                cluster, port > 0 ? "localhost:" + port : cluster.bootstrapServers(), throwAway ? dir : null);
    }

    private static boolean alreadyFormatted(Path baseDir) {
        try (var files = Files.walk(baseDir, 4)) {
            return files.anyMatch(p -> p.getFileName().toString().equals("meta.properties"));
        } catch (IOException e) {
            return false;
        }
    }

    /** The bootstrap servers for clients. */
    public String bootstrapServers() {
        return bootstrap;
    }

    @Override
    public void close() throws Exception {
        try {
            cluster.close();
        } finally {
            if (throwAwayDir != null) {
                deleteTree(throwAwayDir);
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
