package io.campanile.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * One service of the stack running as its own JVM process from its packaged Quarkus application. The process can be
 * stopped ({@link #terminate()}), crashed ({@link #kill()}) and {@link #restart() restarted} with the same command,
 * port and log file, which is what the stack's {@link Supervisor} and the chaos suite do.
 */
public final class ServiceProcess implements AutoCloseable {
    /** The AppCDS archive's name in a service's quarkus-app folder. */
    static final String APP_CDS = "app-cds.jsa";

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String name;
    private final int port;
    private final ProcessBuilder command;
    private final Path log;
    private volatile Process process;

    private ServiceProcess(String name, int port, ProcessBuilder command, Path log) throws IOException {
        this.name = name;
        this.port = port;
        this.command = command;
        this.log = log;
        this.process = command.start();
    }

    /**
     * Starts {@code <root>/<module>/target/quarkus-app/quarkus-run.jar} with the given configuration as system
     * properties, logging to {@code logDir/<name>.log}.
     */
    public static ServiceProcess start(
            Path root, String module, String name, int port, Map<String, String> config, Path logDir)
            throws IOException {
        return start(root, module, name, port, config, Map.of(), logDir);
    }

    /**
     * As {@link #start(Path, String, String, int, Map, Path)}, with {@code env} added to the process's environment:
     * for secrets, which system properties would show to anyone who lists the processes.
     */
    public static ServiceProcess start(
            Path root,
            String module,
            String name,
            int port,
            Map<String, String> config,
            Map<String, String> env,
            Path logDir)
            throws IOException {
        Path jar = root.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build first (./mvnw -DskipTests package)");
        }
        // A JVM crash report goes beside the service's log, not into the working directory (the repository).
        List<String> cmd = new ArrayList<>(List.of(
                javaBin(),
                "-Xmx1g",
                "-XX:+UseSerialGC",
                "-XX:ErrorFile=" + logDir.toAbsolutePath().resolve("hs_err_" + name + "_%p.log"),
                "-Dquarkus.http.port=" + port));
        if (module.equals("trainer")) {
            cmd.addAll(List.of("--add-modules", "jdk.incubator.vector")); // the training kernels' vector form
        }
        String extra = System.getenv("CAMPANILE_JAVA_OPTS");
        if (extra != null && !extra.isBlank()) {
            cmd.addAll(List.of(extra.trim().split("\\s+")));
        }
        config.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        // An AppCDS archive (built by ./campanile up) holds the classes the service loads as it starts, parsed and
        // verified: the JVM maps it instead of loading them again. The archive records the class path as it was
        // when it was made (quarkus-run.jar, relative), so the service then runs from its quarkus-app folder. A stale
        // archive is refused by the JVM with a warning, and the service starts as it would without one.
        Path appDir = jar.getParent();
        boolean cds = Files.isRegularFile(appDir.resolve(APP_CDS));
        if (cds) {
            cmd.add("-XX:SharedArchiveFile=" + APP_CDS);
        }
        cmd.add("-jar");
        cmd.add(cds ? jar.getFileName().toString() : jar.toString());
        return start(name, port, cmd, env, logDir, cds ? appDir : null);
    }

    /** Starts any command that serves {@code /q/health/*} on {@code port} (tests use a small stand-in service). */
    static ServiceProcess start(String name, int port, List<String> cmd, Path logDir) throws IOException {
        return start(name, port, cmd, Map.of(), logDir, null);
    }

    private static ServiceProcess start(
            String name, int port, List<String> cmd, Map<String, String> env, Path logDir, Path workDir)
            throws IOException {
        Files.createDirectories(logDir);
        Path log = logDir.toAbsolutePath().resolve(name + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putIfAbsent("OMP_WAIT_POLICY", "PASSIVE");
        pb.environment().putAll(env);
        if (workDir != null) {
            pb.directory(workDir.toFile());
        }
        return new ServiceProcess(name, port, pb, log);
    }

    static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public String url() {
        return "http://localhost:" + port;
    }

    public Path log() {
        return log;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The operating system's id of the current process. */
    public long pid() {
        return process.pid();
    }

    /** The exit status of the current process, or empty while it runs (137 = SIGKILL, 143 = SIGTERM). */
    public OptionalInt exitCode() {
        Process p = process;
        return p.isAlive() ? OptionalInt.empty() : OptionalInt.of(p.exitValue());
    }

    /** Whether {@code /q/health/live} answers 200 within two seconds. */
    public boolean isLive() {
        return answers200("/q/health/live");
    }

    /** Whether {@code /q/health/ready} answers 200 within two seconds. */
    public boolean isReady() {
        return answers200("/q/health/ready");
    }

    private boolean answers200(String path) {
        try {
            HttpResponse<Void> r = HTTP.send(
                    HttpRequest.newBuilder(URI.create(url() + path))
                            .timeout(Duration.ofSeconds(2))
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Waits until {@code /q/health/ready} answers 200, failing early if the process dies. */
    public void awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Process process = this.process;
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
            }
            if (isReady()) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(name + " not ready after " + timeout + "; see " + log);
    }

    /** Sends SIGTERM: Quarkus shuts down gracefully. */
    public void terminate() {
        process.destroy();
    }

    /** Sends SIGKILL, as the kernel's OOM killer or a lost machine would, and waits until the process is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }

    /**
     * Starts the process again with the same command, port and configuration, appending to the same log. A process
     * still running is stopped first (SIGTERM, then SIGKILL after 20 s), so the port is free.
     */
    public synchronized void restart() throws IOException {
        close();
        process = command.start();
    }

    /** Stops the process with SIGTERM, then SIGKILL after 20 s. */
    @Override
    public synchronized void close() {
        Process p = process;
        p.destroy();
        try {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
        }
    }
}
