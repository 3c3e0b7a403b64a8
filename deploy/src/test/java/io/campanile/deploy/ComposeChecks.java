package io.campanile.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** docker-compose.yml (and its CPU override) against the code: one method per aspect, each listing what drifted. */
final class ComposeChecks {
    static final Path FILE = Path.of("docker-compose.yml");
    static final Path CPU_OVERRIDE = Path.of("deploy/compose/cpu.yml");
    static final Path ENV_EXAMPLE = Path.of(".env.example");
    private static final Pattern PROBE_URL =
            Pattern.compile("https?://(?:localhost|127\\.0\\.0\\.1):(\\d+)(/[^\\s\"']*)");
    private static final Pattern SECRET_NAME = Pattern.compile(".*(PASSWORD|SECRET|TOKEN|API_KEY|CREDENTIAL).*");
    private static final Pattern ONLY_REQUIRED_VARIABLE = Pattern.compile("\\$\\{[A-Za-z_][A-Za-z0-9_]*(:\\?[^}]*)?}");

    private final Codebase code;
    private final Compose compose;
    private final Map<String, String> envExample;

    ComposeChecks(Codebase code) {
        this.code = code;
        this.compose = Compose.load(code.root.resolve(FILE));
        this.envExample = Compose.readEnvFile(code.root.resolve(ENV_EXAMPLE));
    }

    /** Environment of a service with variables interpolated from .env.example and the defaults. */
    Map<String, String> env(String service) {
        Map<String, String> out = new LinkedHashMap<>();
        compose.environment(service).forEach((k, v) -> out.put(k, Compose.interpolate(v, envExample)));
        return out;
    }

    List<String> everyServiceIsBuiltFromItsDockerfile() {
        Problems p = new Problems();
        for (String name : Topology.SERVICES) {
            Map<String, Object> s = compose.service(name);
            p.check(!s.isEmpty(), FILE + " has no service " + name);
            String dockerfile = Yamls.str(Yamls.at(s, "build", "dockerfile"));
            p.check(
                    ".".equals(Yamls.str(Yamls.at(s, "build", "context"))),
                    FILE + ": " + name + " must build with the repository root as context (see .dockerignore)");
            String expected =
                    name + "/src/main/docker/" + (Topology.ONNX.contains(name) ? "Dockerfile.gpu" : "Dockerfile.jvm");
            p.check(
                    expected.equals(dockerfile),
                    FILE + ": " + name + " builds " + dockerfile + ", expected " + expected);
            p.check(
                    dockerfile != null && Files.isRegularFile(code.root.resolve(dockerfile)),
                    FILE + ": " + name + " builds " + dockerfile + ", which does not exist");
            String image = Yamls.str(s.get("image"));
            String repository = "campanile/" + name + (Topology.ONNX.contains(name) ? "-gpu:" : ":");
            p.check(image != null && image.startsWith(repository), FILE + ": " + name + " has image " + image);
        }
        for (String infra : List.of("kafka", "postgres")) {
            p.check(compose.services.containsKey(infra), FILE + " has no service " + infra);
        }
        return p.list();
    }

    List<String> environmentNamesAreKeysOfTheService() {
        List<String> problems = new ArrayList<>();
        for (String name : Topology.SERVICES) {
            problems.addAll(Wiring.keys(FILE + " " + name, code.service(name), env(name)));
        }
        return problems;
    }

    List<String> addressesPointAtTheServicesThatListenThere() {
        Problems p = new Problems();
        String advertised = env("kafka").get("KAFKA_ADVERTISED_LISTENERS");
        Map<String, String> postgres = env("postgres");
        Set<String> partitions = new TreeSet<>();
        for (String name : Topology.SERVICES) {
            Service s = code.service(name);
            Map<String, String> env = env(name);
            String where = FILE + " " + name;
            p.addAll(Wiring.bootstrap(where, s, env, advertised));
            p.addAll(Wiring.storageUrl(where, s, env, "storage", code.service("storage")));
            p.addAll(Wiring.datasource(where, s, env, "postgres", 5432, postgres.get("POSTGRES_DB"), code.root));
            Wiring.valueOf(s, env, "campanile.kafka.worker-partitions").ifPresent(v -> partitions.add(v));
        }
        p.check(partitions.size() == 1, FILE + ": the services disagree on the worker partitions: " + partitions);
        return p.list();
    }

    List<String> healthchecksProbeTheReadinessEndpoint() {
        Problems p = new Problems();
        for (String name : Topology.SERVICES) {
            Service s = code.service(name);
            p.check(s.healthExtension(), name + " has no quarkus-smallrye-health: its probes would fail");
            String test = String.join(
                    " ",
                    Yamls.list(Yamls.at(compose.service(name), "healthcheck", "test")).stream()
                            .map(String::valueOf)
                            .toList());
            Matcher m = PROBE_URL.matcher(test);
            boolean ok = m.find()
                    && Integer.parseInt(m.group(1)) == s.health().port()
                    && m.group(2).equals(s.health().ready());
            p.check(
                    ok,
                    FILE + ": " + name + "'s healthcheck [" + test + "] must probe http://localhost:"
                            + s.health().port() + s.health().ready());
        }
        for (String infra : List.of("kafka", "postgres")) {
            p.check(
                    Yamls.at(compose.service(infra), "healthcheck", "test") != null,
                    FILE + ": " + infra + " has no healthcheck");
        }
        return p.list();
    }

    List<String> dependenciesWaitUntilHealthy() {
        Problems p = new Problems();
        for (String name : Topology.SERVICES) {
            Service s = code.service(name);
            Map<String, Object> deps = Yamls.map(compose.service(name).get("depends_on"));
            Set<String> needed = new TreeSet<>();
            if (s.keys().contains("campanile.kafka.bootstrap-servers")) {
                needed.add("kafka");
            }
            if (s.keys().contains("campanile.storage.url")) {
                needed.add("storage");
            }
            if (s.datasource()) {
                needed.add("postgres");
            }
            for (String dep : needed) {
                p.check(deps.containsKey(dep), FILE + ": " + name + " needs " + dep + " but does not depend on it");
            }
            deps.forEach((dep, cond) -> {
                p.check(
                        "service_healthy".equals(Yamls.str(Yamls.at(cond, "condition"))),
                        FILE + ": " + name + " must wait for " + dep + " with condition: service_healthy");
                p.check(
                        Yamls.at(compose.service(dep), "healthcheck") != null,
                        FILE + ": " + name + " waits for " + dep + ", which has no healthcheck");
            });
        }
        return p.list();
    }

    List<String> gpuWorkersReserveAGpuAndEveryWorkerScales() {
        Problems p = new Problems();
        for (String name : Topology.SERVICES) {
            Map<String, Object> s = compose.service(name);
            List<Object> devices = Yamls.list(Yamls.at(s, "deploy", "resources", "reservations", "devices"));
            boolean gpu = devices.stream()
                    .anyMatch(d -> "nvidia".equals(Yamls.str(Yamls.at(d, "driver")))
                            && Yamls.list(Yamls.at(d, "capabilities")).contains("gpu"));
            p.check(
                    gpu == Topology.ONNX.contains(name),
                    FILE + ": " + name
                            + (gpu ? " reserves a GPU but does not run ONNX Runtime" : " must reserve an nvidia GPU"));
            if (Topology.ONNX.contains(name)) {
                p.check(
                        "cuda".equals(env(name).get(KeyRules.env("campanile.onnx.execution-provider"))),
                        FILE + ": " + name + " reserves a GPU but does not select the cuda execution provider");
            }
            if (Topology.isWorker(name)) {
                for (String fixed : List.of("container_name", "hostname", "ports")) {
                    p.check(
                            !s.containsKey(fixed),
                            FILE + ": " + name + " sets " + fixed + ", so `docker compose up --scale " + name
                                    + "=3` cannot start copies");
                }
            }
        }
        for (String name : compose.services.keySet()) {
            p.check(
                    name.equals(Topology.PUBLIC) || !compose.service(name).containsKey("ports"),
                    FILE + ": " + name + " publishes a port; only " + Topology.PUBLIC + " is public");
        }
        String published = Yamls.list(compose.service(Topology.PUBLIC).get("ports")).stream()
                .map(o -> Compose.interpolate(String.valueOf(o), envExample))
                .findFirst()
                .orElse("");
        p.check(
                published.endsWith(":" + code.service(Topology.PUBLIC).httpPort()),
                FILE + ": " + Topology.PUBLIC + " publishes " + published + ", not its port "
                        + code.service(Topology.PUBLIC).httpPort());
        return p.list();
    }

    List<String> noSecretIsWrittenInTheFiles() {
        Problems p = new Problems();
        for (String name : compose.services.keySet()) {
            compose.environment(name)
                    .forEach((k, v) -> p.check(
                            !SECRET_NAME.matcher(k).matches()
                                    || ONLY_REQUIRED_VARIABLE.matcher(v).matches(),
                            FILE + ": " + name + "." + k
                                    + " must be only a required variable like ${NAME:?message}, was " + v));
        }
        Set<String> used = new TreeSet<>(compose.variables());
        used.addAll(Compose.load(code.root.resolve(CPU_OVERRIDE)).variables());
        for (String v : used) {
            p.check(envExample.containsKey(v), ENV_EXAMPLE + " does not list " + v + ", which the compose files use");
        }
        for (String v : envExample.keySet()) {
            p.check(used.contains(v), ENV_EXAMPLE + " lists " + v + ", which no compose file uses");
            p.check(
                    !SECRET_NAME.matcher(v).matches() || envExample.get(v).isEmpty(),
                    ENV_EXAMPLE + " gives the secret " + v + " a value");
        }
        for (Path file : List.of(FILE, CPU_OVERRIDE)) {
            Matcher d = Compose.VARIABLE.matcher(Repo.read(code.root.resolve(file)));
            while (d.find()) {
                if ("-".equals(d.group(2)) || ":-".equals(d.group(2))) {
                    p.check(
                            d.group(3).equals(envExample.get(d.group(1))),
                            file + ": the default of " + d.group(1)
                                    + " (" + d.group(3) + ") differs from " + ENV_EXAMPLE + " ("
                                    + envExample.get(d.group(1)) + ")");
                }
            }
        }
        p.check(
                Repo.read(code.root.resolve(".gitignore"))
                        .lines()
                        .anyMatch(l -> l.strip().matches("/?\\.env")),
                ".gitignore must ignore .env, which holds the compose secrets");
        return p.list();
    }

    List<String> volumesHoldWhatTheSettingsPointAt() {
        Problems p = new Problems();
        for (String name : Topology.SERVICES) {
            Map<String, String> env = env(name);
            List<String> targets = new ArrayList<>();
            for (Object v : Yamls.list(compose.service(name).get("volumes"))) {
                String[] parts =
                        Compose.interpolate(String.valueOf(v), envExample).split(":");
                targets.add(parts.length > 1 ? parts[1] : parts[0]);
            }
            env.forEach((k, v) -> p.check(
                    !k.endsWith("_DIR") || targets.contains(v),
                    FILE + ": " + name + " sets " + k + "=" + v + " but mounts nothing there (mounts: " + targets
                            + ")"));
        }
        for (String name : compose.services.keySet()) {
            for (Object v : Yamls.list(compose.service(name).get("volumes"))) {
                String source =
                        Compose.interpolate(String.valueOf(v), envExample).split(":")[0];
                p.check(
                        !source.startsWith("./deploy/") || Files.exists(code.root.resolve(source)),
                        FILE + ": " + name + " mounts " + source + ", which does not exist");
            }
        }
        return p.list();
    }

    List<String> cpuOverrideRunsTheOnnxWorkersOnJvmImages() {
        Problems p = new Problems();
        Compose cpu = Compose.load(code.root.resolve(CPU_OVERRIDE));
        p.check(cpu.services.keySet().equals(Topology.ONNX), CPU_OVERRIDE + " must override exactly " + Topology.ONNX);
        for (String name : cpu.services.keySet()) {
            Map<String, Object> s = cpu.service(name);
            String dockerfile = Yamls.str(Yamls.at(s, "build", "dockerfile"));
            p.check(
                    (name + "/src/main/docker/Dockerfile.jvm").equals(dockerfile),
                    CPU_OVERRIDE + ": " + name + " builds " + dockerfile);
            p.check(
                    s.containsKey("deploy") && Yamls.map(s.get("deploy")).isEmpty(),
                    CPU_OVERRIDE + ": " + name + " must drop the GPU reservation (deploy: !reset {})");
            Map<String, String> env = cpu.environment(name);
            p.check(
                    "cpu".equals(env.get(KeyRules.env("campanile.onnx.execution-provider"))),
                    CPU_OVERRIDE + ": " + name + " must select the cpu execution provider");
            if (code.service(name) != null) {
                p.addAll(env.keySet().stream()
                        .map(k -> KeyRules.check(code.service(name), k))
                        .flatMap(Optional::stream)
                        .map(m -> CPU_OVERRIDE + " " + name + ": " + m)
                        .toList());
            }
        }
        return p.list();
    }
}
