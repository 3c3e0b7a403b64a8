package io.campanile.testkit;

import io.campanile.contracts.ServiceCredentials;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole system on one machine without Docker: embedded PostgreSQL, a Kafka broker process, then every service
 * as its own process, watched by a {@link Supervisor} that restarts what dies. Used by the {@code ./campanile}
 * command, the system tests and the chaos suite. PostgreSQL and Kafka can be stopped and started again on their own
 * ({@link #postgres()}, {@link #kafka()}), so a test can take either away from running services.
 */
public final class LocalStack implements AutoCloseable {
    /** The worker services, which all read {@code campanile.worker.*}. */
    public static final List<String> WORKERS = List.of("stage1-worker", "stage2-worker", "text-encoder", "trainer");

    private final Options options;
    private final List<ServiceProcess> services = new ArrayList<>();
    private EmbeddedPostgres postgres;
    private KafkaProcess kafka;
    private Supervisor supervisor;
    private Path packsDir;
    /** Storage's secret; each other service gets only its own token ({@link #serviceToken}). */
    private String serviceSecret;

    private String apiKey;

    /**
     * @param root the repository root (services are read from {@code <module>/target/quarkus-app})
     * @param dataDir where PostgreSQL data, Kafka logs and service logs live; kept across restarts when
     *        {@code persistent}
     * @param persistent keep data across restarts (the local stack) or throw it away (tests)
     * @param fixedPorts use the documented ports (gateway 8080, PostgreSQL 15432, Kafka 19092) or free ones
     * @param stage1Replicas how many stage1-worker processes share the stage1-requests partitions
     * @param testPacks also install the project's small generated packs (stage-I, stage-II and T5-encoder shaped),
     *        so every job type runs without IF weights
     * @param config extra configuration for every service (e.g. the gateway's default model)
     * @param moduleConfig extra configuration for the services of one module (key: the module, e.g.
     *        {@code stage1-worker}), applied after {@code config}: worker-only keys stay off the gateway and storage
     */
    public record Options(
            Path root,
            Path dataDir,
            boolean persistent,
            boolean fixedPorts,
            int stage1Replicas,
            boolean testPacks,
            Map<String, String> config,
            Map<String, Map<String, String>> moduleConfig) {

        public Options(
                Path root,
                Path dataDir,
                boolean persistent,
                boolean fixedPorts,
                int stage1Replicas,
                boolean testPacks,
                Map<String, String> config) {
            this(root, dataDir, persistent, fixedPorts, stage1Replicas, testPacks, config, Map.of());
        }

        public Options(Path root, Path dataDir, boolean persistent, boolean fixedPorts, int stage1Replicas) {
            this(root, dataDir, persistent, fixedPorts, stage1Replicas, false, Map.of());
        }
    }

    public LocalStack(Options options) {
        // Absolute, since a service may run from its own folder (see ServiceProcess) and reads these paths.
        this.options = new Options(
                options.root().toAbsolutePath().normalize(),
                options.dataDir().toAbsolutePath().normalize(),
                options.persistent(),
                options.fixedPorts(),
                options.stage1Replicas(),
                options.testPacks(),
                options.config(),
                options.moduleConfig());
    }

    /**
     * Starts everything, waits until every service reports ready, then supervises the services; on failure stops
     * what it started.
     */
    public LocalStack start() throws Exception {
        try {
            startAll();
        } catch (Exception | Error e) {
            close();
            throw e;
        }
        supervisor = new Supervisor(services, System.out).start();
        return this;
    }

    private void startAll() throws Exception {
        Path data = options.dataDir();
        Path logs = data.resolve("logs");
        // The admin API key (ADR 0015): kept in .campanile/api-key across restarts of the local stack, where the CLI
        // finds it; a throw-away stack (tests) makes a new one. The gateway gets it in its environment.
        apiKey = options.persistent()
                ? LocalKeys.loadOrCreate(options.root().resolve(".campanile").resolve("api-key"))
                : LocalKeys.generate();
        // The broker (a JVM) and PostgreSQL start side by side; the services start once both serve, since the
        // gateway and storage migrate their schemas as they start, and a broker starved of CPU by six starting
        // services on two cores can take minutes.
        kafka = KafkaProcess.launch(
                options.persistent() ? data.resolve("kafka") : null, port(19092), logs.resolve("kafka.log"));
        postgres = EmbeddedPostgres.start(options.persistent() ? data.resolve("postgres") : null, port(15432));
        packsDir = Packs.prepare(options.root().resolve("packs"), data.resolve("packs"), options.testPacks());
        serviceSecret = ServiceSecret.loadOrCreate(data);
        kafka.awaitReady();
        start("storage", "storage", port(8081), db("storage"), logs);
        String storageUrl = services.get(0).url();
        Map<String, String> gw = new HashMap<>(db("gateway"));
        gw.put("campanile.storage.url", storageUrl);
        start("gateway", "gateway", port(8080), gw, Map.of("CAMPANILE_BOOTSTRAP_ADMIN_KEY", apiKey), logs);
        for (int i = 1; i <= options.stage1Replicas(); i++) {
            start(
                    "stage1-worker",
                    "stage1-worker-" + i,
                    port(8082 + 100 * (i - 1)),
                    worker(storageUrl, "stage1-worker-" + i),
                    logs);
        }
        start("stage2-worker", "stage2-worker", port(8083), worker(storageUrl, "stage2-worker"), logs);
        start("text-encoder", "text-encoder", port(8084), worker(storageUrl, "text-encoder"), logs);
        start("trainer", "trainer", port(8085), worker(storageUrl, "trainer"), logs);
        for (ServiceProcess s : services) {
            s.awaitReady(Duration.ofSeconds(180));
        }
    }

    private void start(String module, String name, int port, Map<String, String> config, Path logs) throws IOException {
        start(module, name, port, config, Map.of(), logs);
    }

    private void start(
            String module, String name, int port, Map<String, String> config, Map<String, String> env, Path logs)
            throws IOException {
        Map<String, String> all = new HashMap<>(config);
        all.put("campanile.kafka.bootstrap-servers", kafka.bootstrapServers());
        all.put("campanile.packs.dir", packsDir.toString());
        all.put("campanile.trainer.packs-dir", packsDir.toString()); // trained DDPMs become packs stage 1 serves
        Path mnist = options.root().resolve("../shared/data/mnist").normalize();
        if (Files.isDirectory(mnist)) {
            all.put("campanile.trainer.mnist-dir", mnist.toString());
        }
        if (options.testPacks()) {
            all.put("campanile.text-encoder.pack", "test-t5-encoder");
        }
        if (module.equals("storage")) {
            all.put("campanile.storage.service-secret", serviceSecret);
        } else {
            all.put("campanile.service.token", serviceToken(module));
        }
        all.putAll(options.config());
        all.putAll(options.moduleConfig().getOrDefault(module, Map.of()));
        services.add(ServiceProcess.start(options.root(), module, name, port, all, env, logs));
    }

    private Map<String, String> db(String schema) {
        return Map.of(
                "quarkus.datasource.jdbc.url",
                postgres.jdbcUrl(schema),
                "quarkus.datasource.username",
                EmbeddedPostgres.USER,
                "quarkus.datasource.password",
                EmbeddedPostgres.PASSWORD);
    }

    private static Map<String, String> worker(String storageUrl, String instance) {
        return Map.of("campanile.storage.url", storageUrl, "campanile.worker.instance-id", instance);
    }

    private int port(int fixed) throws IOException {
        if (options.fixedPorts()) {
            return fixed;
        }
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    public String gatewayUrl() {
        return service("gateway").url();
    }

    /** The token of a service ({@code gateway}, {@code trainer}, ...) for storage's internal API, as tests call it. */
    public String serviceToken(String service) {
        return ServiceCredentials.token(serviceSecret, service);
    }

    /** The admin API key of this stack (tenant "default"): what its tests, CLI and dashboard send. */
    public String apiKey() {
        return apiKey;
    }

    /** Where a browser logs in to the dashboard at once: the key rides in the fragment, which is never sent. */
    public String loginUrl() {
        return gatewayUrl() + "/login#key=" + apiKey;
    }

    public ServiceProcess service(String name) {
        return services.stream()
                .filter(s -> s.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no service " + name));
    }

    public List<ServiceProcess> services() {
        return List.copyOf(services);
    }

    /** The folder every service reads model packs from. */
    public Path packsDir() {
        return packsDir;
    }

    /** Where the services, the broker and the supervisor's restarts leave their logs. */
    public Path logsDir() {
        return options.dataDir().resolve("logs");
    }

    public EmbeddedPostgres postgres() {
        return postgres;
    }

    public KafkaProcess kafka() {
        return kafka;
    }

    /** The supervisor of the services: {@link Supervisor#hold} one before stopping it on purpose. */
    public Supervisor supervisor() {
        return supervisor;
    }

    /** Stops supervising, stops the services (gateway first, storage last), then Kafka and PostgreSQL. */
    @Override
    public void close() {
        if (supervisor != null) {
            supervisor.close();
        }
        List<ServiceProcess> first =
                services.stream().filter(s -> !s.name().equals("storage")).toList();
        first.forEach(ServiceProcess::terminate);
        first.forEach(ServiceProcess::close);
        services.stream().filter(s -> s.name().equals("storage")).forEach(ServiceProcess::close);
        if (kafka != null) {
            kafka.close();
        }
        try {
            if (postgres != null) {
                postgres.close();
            }
        } catch (IOException e) {
            System.err.println("stopping PostgreSQL: " + e);
        }
    }
}
