package io.campanile.deploy;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the deploy files are checked against: the services, topics and consumer settings as the code defines them. */
final class Codebase {
    private static final Pattern TOPIC = Pattern.compile("String\\s+(\\w+)\\s*=\\s*\"([^\"]+)\"");
    private static final Pattern OFFSET_RESET = Pattern.compile("AUTO_OFFSET_RESET_CONFIG\\s*,\\s*\"(\\w+)\"");
    private static final Pattern PROFILE = Pattern.compile("^%[^.]+\\.");
    /** Keys of the services' own configuration: only the code (a mapping or a property injection) declares them. */
    static final String CAMPANILE_PREFIX = "campanile.";

    static final Path PROPERTIES = Path.of("src/main/resources/application.properties");

    final Path root;
    final Pom rootPom;
    final Map<String, Service> services = new LinkedHashMap<>();
    /** Constant name in contracts' Topics to topic name. */
    final Map<String, String> topics = new LinkedHashMap<>();
    /** {@code auto.offset.reset} of the workers' consumers (platform's KafkaSettings). */
    final String autoOffsetReset;
    /** The partitions of each topic, as platform's TopicAdmin creates them. */
    final TopicLayout topicLayout;

    private final Map<String, Path> modulesByArtifact = new HashMap<>();
    /** application.properties entries whose key no code of the service reads, as "file sets key". */
    private final List<String> unreadProperties = new ArrayList<>();

    private Codebase(Path root) {
        this.root = root;
        this.rootPom = Pom.read(root.resolve("pom.xml"));
        for (String module : rootPom.modules()) {
            modulesByArtifact.put(
                    Pom.read(root.resolve(module).resolve("pom.xml")).artifactId(), root.resolve(module));
        }
        String topicsSource = Repo.read(source("contracts", "io/campanile/contracts/Topics.java"));
        Matcher t = TOPIC.matcher(topicsSource);
        while (t.find()) {
            topics.put(t.group(1), t.group(2));
        }
        this.topicLayout = TopicLayout.read(
                topicsSource,
                Repo.read(source("platform", "io/campanile/platform/TopicAdmin.java")),
                Repo.read(source("platform", "io/campanile/platform/KafkaConfig.java")));
        Matcher o = OFFSET_RESET.matcher(Repo.read(source("platform", "io/campanile/platform/KafkaSettings.java")));
        this.autoOffsetReset = o.find() ? o.group(1) : null;
        for (String name : Topology.SERVICES) {
            services.put(name, loadService(name));
        }
    }

    static Codebase load(Path root) {
        return new Codebase(root);
    }

    /**
     * Entries of the services' application.properties (any profile) that set a {@code campanile.*} key, or a key under
     * a {@code @ConfigMapping} prefix, that the service's code does not declare: a renamed or misspelt key, which
     * Quarkus would ignore (or reject at start) while the file keeps the old name looking declared.
     */
    List<String> propertiesTheCodeDoesNotRead() {
        return List.copyOf(unreadProperties);
    }

    Service service(String name) {
        return services.get(name);
    }

    /** The topic a worker's consumer group reads. */
    String topicOf(String worker) {
        return topics.get(Topology.WORKER_TOPIC_CONSTANTS.get(worker));
    }

    private Path source(String artifact, String file) {
        Path module = modulesByArtifact.get(artifact);
        if (module == null) {
            throw new IllegalStateException("no Maven module " + artifact + " in " + root.resolve("pom.xml"));
        }
        return module.resolve("src/main/java").resolve(file);
    }

    private Service loadService(String name) {
        Path dir = modulesByArtifact.get(name);
        if (dir == null) {
            throw new IllegalStateException("service " + name + " is not a module of " + root.resolve("pom.xml"));
        }
        Pom pom = Pom.read(dir.resolve("pom.xml"));
        Properties props = properties(dir.resolve(PROPERTIES));
        List<Path> sourceRoots = new ArrayList<>();
        sourceRoots.add(dir.resolve("src/main/java"));
        for (Path lib : campanileLibraries(pom)) {
            sourceRoots.add(lib.resolve("src/main/java"));
        }
        KeySet keys = JavaConfigScanner.scan(sourceRoots);
        // A properties entry declares a key only where no code could: Quarkus' own keys (quarkus.*) and other
        // libraries'. campanile.* keys and keys under a mapping's prefix are the code's; counting the file's entries
        // for them would keep a renamed key looking declared as long as some profile still sets the old name.
        for (String entry : new TreeSet<>(props.stringPropertyNames())) {
            String key = PROFILE.matcher(entry).replaceFirst("");
            if (keys.contains(key)) {
                continue;
            }
            if (key.startsWith(CAMPANILE_PREFIX) || keys.coveredByMapping(key)) {
                unreadProperties.add(root.relativize(dir.resolve(PROPERTIES)) + " sets " + entry + ", which no "
                        + "@ConfigMapping or @ConfigProperty of " + name + " (or of its libraries) declares");
            } else {
                keys.add(key);
            }
        }
        int port = httpPort(name, props);
        boolean datasource =
                pom.dependencies().stream().anyMatch(d -> d.artifactId().startsWith("quarkus-jdbc-"));
        boolean health = pom.dependencies().stream().anyMatch(d -> "quarkus-smallrye-health".equals(d.artifactId()));
        String schemas = prodValue(props, "quarkus.flyway.schemas");
        String schema =
                schemas != null ? schemas.split(",")[0].strip() : prodValue(props, "quarkus.flyway.default-schema");
        return new Service(
                name, dir, pom, props, port, HealthPaths.of(prodView(props), port), keys, datasource, health, schema);
    }

    private static int httpPort(String name, Properties props) {
        String declared = prodValue(props, "quarkus.http.port");
        if (declared != null) {
            return Integer.parseInt(declared.strip());
        }
        return 8080; // Quarkus' default
    }

    /** The value in the prod profile: {@code %prod.key} wins over {@code key}. */
    static String prodValue(Properties props, String key) {
        return props.getProperty("%prod." + key, props.getProperty(key));
    }

    private static Properties prodView(Properties props) {
        Properties view = new Properties();
        for (String key : props.stringPropertyNames()) {
            if (!key.startsWith("%")) {
                view.setProperty(key, props.getProperty(key));
            }
        }
        for (String key : props.stringPropertyNames()) {
            if (key.startsWith("%prod.")) {
                view.setProperty(key.substring("%prod.".length()), props.getProperty(key));
            }
        }
        return view;
    }

    /** The campanile libraries on the service's runtime classpath, transitively. */
    private List<Path> campanileLibraries(Pom pom) {
        List<Path> libs = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Deque<Pom> todo = new ArrayDeque<>(List.of(pom));
        while (!todo.isEmpty()) {
            for (Pom.Dependency d : todo.pop().dependencies()) {
                if ("io.campanile".equals(d.groupId()) && !d.isTest() && seen.add(d.artifactId())) {
                    Path module = modulesByArtifact.get(d.artifactId());
                    if (module != null) {
                        libs.add(module);
                        todo.push(Pom.read(module.resolve("pom.xml")));
                    }
                }
            }
        }
        return libs;
    }

    private static Properties properties(Path file) {
        Properties p = new Properties();
        if (Files.isRegularFile(file)) {
            try {
                p.load(new StringReader(Repo.read(file)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return p;
    }
}
