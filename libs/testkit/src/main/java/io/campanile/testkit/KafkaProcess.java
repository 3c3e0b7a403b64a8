package io.campanile.testkit;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A single-node Kafka broker ({@link KafkaMain}) as a process of its own, on a fixed port and a log folder that
 * outlive it: {@link #stop()} or {@link #kill()} it and {@link #start()} it again, and clients that kept their
 * bootstrap address reconnect to the same topics, offsets and groups. This is what lets the chaos suite take the
 * broker away from running services, which an in-JVM broker cannot do.
 *
 * <p>The broker JVM runs on this JVM's class path (the testkit and its dependencies are on it wherever this class
 * is).
 */
public final class KafkaProcess implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private final Path dataDir;
    private final boolean throwAway;
    private final int port;
    private final Path log;
    private Process process;
    /** Where in the log the latest start's output begins (its ready line is looked for from there). */
    private long readyFrom;

    private KafkaProcess(Path dataDir, boolean throwAway, int port, Path log) {
        this.dataDir = dataDir;
        this.throwAway = throwAway;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts a broker and waits until it serves clients.
     *
     * @param dataDir the log folder, kept across restarts and after {@link #close()}; null for a throw-away folder
     *        that {@link #close()} deletes
     * @param port the client port, or 0 for a free one (then kept across restarts)
     * @param log the file the broker's output is appended to
     */
    public static KafkaProcess start(Path dataDir, int port, Path log) throws IOException, InterruptedException {
        KafkaProcess kafka = launch(dataDir, port, log);
        try {
            kafka.awaitReady();
        } catch (IOException | RuntimeException | InterruptedException e) {
            kafka.close();
            throw e;
        }
        return kafka;
    }

    /**
     * Starts a broker without waiting for it: its clients (whose Kafka clients retry) can start meanwhile, and
     * {@link #awaitReady()} waits for it later. Parameters as for {@link #start(Path, int, Path)}.
     */
    public static KafkaProcess launch(Path dataDir, int port, Path log) throws IOException {
        boolean throwAway = dataDir == null;
        Path dir = throwAway ? Files.createTempDirectory("campanile-kafka-") : Files.createDirectories(dataDir);
        Files.createDirectories(log.toAbsolutePath().getParent());
        KafkaProcess kafka = new KafkaProcess(dir, throwAway, port > 0 ? port : freePort(), log);
        try {
            kafka.launchProcess();
        } catch (IOException | RuntimeException e) {
            kafka.close();
            throw e;
        }
        return kafka;
    }

    /** Starts the broker again on the same folder and port; a no-op while it runs. */
    public synchronized void start() throws IOException, InterruptedException {
        if (isRunning()) {
            return;
        }
        launchProcess();
        awaitReady();
    }

    /** Waits until the broker of the latest start serves clients (at most two minutes). */
    public void awaitReady() throws IOException, InterruptedException {
        awaitReady(readyFrom);
    }

    private synchronized void launchProcess() throws IOException {
        readyFrom = Files.exists(log) ? Files.size(log) : 0;
        List<String> cmd = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx768m",
                "-XX:+UseSerialGC",
                "-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                "-cp",
                System.getProperty("java.class.path"),
                KafkaMain.class.getName(),
                dataDir.toString(),
                Integer.toString(port));
        process = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
    }

    private void awaitReady(long from) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Kafka exited with " + process.exitValue() + "; see " + log);
            }
            if (readySince(from)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("Kafka not ready after " + START_TIMEOUT + "; see " + log);
    }

    /** Whether the log, from byte {@code from} on, holds the ready line of the current start. */
    private boolean readySince(long from) throws IOException {
        try (var in = Files.newInputStream(log)) {
            in.skipNBytes(Math.min(from, Files.size(log)));
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).contains(KafkaMain.READY);
        }
    }

    /** The bootstrap servers; the same across restarts. */
    public String bootstrapServers() {
        return "localhost:" + port;
    }

    public int port() {
        return port;
    }

    public Path log() {
        return log;
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Stops the broker cleanly (SIGTERM: it closes its logs and leaves the group coordinator state flushed). */
    public synchronized void stop() throws InterruptedException {
        if (isRunning()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }

    /** Crashes the broker (SIGKILL): the next start recovers its logs as after a power cut. */
    public synchronized void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Stops the broker; deletes a throw-away log folder. */
    @Override
    public synchronized void close() {
        try {
            stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        if (throwAway) {
            Trees.delete(dataDir);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
