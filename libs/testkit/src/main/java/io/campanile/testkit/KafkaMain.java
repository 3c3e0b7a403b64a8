package io.campanile.testkit;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The broker of {@link KafkaProcess}: an {@link EmbeddedKafka} in a JVM of its own, so that a test can stop it
 * (SIGTERM), crash it (SIGKILL) and start it again on the same logs and port while the services keep running.
 * Arguments: the log folder (formatted on first use, reused after) and the client port. Prints
 * {@value #READY} and the bootstrap servers once the broker serves clients; SIGTERM stops it cleanly.
 */
public final class KafkaMain {
    /** The line printed when the broker is ready; {@link KafkaProcess} waits for it. */
    public static final String READY = "campanile-kafka: ready on ";
    /** Kept so that the levels set below are not lost when the logger is collected. */
    private static final List<Logger> QUIET = List.of(
            Logger.getLogger("org.apache.kafka"), Logger.getLogger("kafka"), Logger.getLogger("org.apache.zookeeper"));

    private KafkaMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: KafkaMain <log dir> <port>");
        }
        QUIET.forEach(l -> l.setLevel(Level.WARNING));
        EmbeddedKafka kafka = EmbeddedKafka.start(Path.of(args[0]), Integer.parseInt(args[1]));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                kafka.close();
            } catch (Exception e) {
                System.err.println("campanile-kafka: stopping: " + e);
            }
            System.out.println("campanile-kafka: stopped");
            stopped.countDown();
        }));
        System.out.println(READY + kafka.bootstrapServers());
        stopped.await();
    }
}
