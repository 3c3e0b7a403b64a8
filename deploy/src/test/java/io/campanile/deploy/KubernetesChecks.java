package io.campanile.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The workloads of a manifest set against the services' code: containers, probes, settings, addresses, volumes. */
final class KubernetesChecks {
    static final Path CREATE_SECRETS = Path.of("deploy/k8s/create-secrets.sh");
    private static final Pattern SECRET_KEY = Pattern.compile("--from-literal=([\\w.-]+)=");
    private static final Pattern SECRET_NAME = Pattern.compile("create secret generic \"?([\\w.-]+)\"?");

    private final Codebase code;
    private final Manifests m;

    KubernetesChecks(Codebase code, Manifests manifests) {
        this.code = code;
        this.m = manifests;
    }

    private String where(String service) {
        return m.label + " " + service;
    }

    /** The service's Deployment, or empty with a problem recorded. */
    private Optional<Map<String, Object>> deployment(String service, Problems p) {
        Optional<Map<String, Object>> d = m.find("Deployment", service);
        p.check(d.isPresent(), m.label + " has no Deployment " + service);
        return d;
    }

    Map<String, String> env(String service) {
        return m.find("Deployment", service)
                .map(d -> m.environment(Manifests.container(d, service)))
                .orElse(Map.of());
    }

    List<String> everyServiceHasADeploymentAServiceAndProbes() {
        Problems p = new Problems();
        for (String name : Topology.SERVICES) {
            Service s = code.service(name);
            deployment(name, p).ifPresent(d -> {
                Map<String, Object> c = Manifests.container(d, name);
                p.check(name.equals(c.get("name")), where(name) + ": no container named " + name);
                p.check(
                        String.valueOf(c.get("image")).startsWith("campanile/" + name),
                        where(name) + ": image " + c.get("image"));
                p.check(
                        Manifests.port(c, "http").orElse(-1) == s.httpPort(),
                        where(name) + ": container port `http` must be " + s.httpPort());
                probe(p, name, c, "livenessProbe", s.health().live(), true);
                probe(p, name, c, "readinessProbe", s.health().ready(), true);
                probe(p, name, c, "startupProbe", s.health().started(), false);
                Optional<Map<String, Object>> svc = m.find("Service", name);
                p.check(svc.isPresent(), m.label + " has no Service " + name);
                svc.ifPresent(v -> {
                    p.check(
                            Manifests.selects(
                                    Map.of("matchLabels", Yamls.at(v, "spec", "selector")), Manifests.podLabels(d)),
                            where(name) + ": the Service does not select the pods");
                    boolean ok = Yamls.list(Yamls.at(v, "spec", "ports")).stream()
                            .anyMatch(port -> Manifests.port(c, Yamls.at(port, "targetPort"))
                                                    .orElse(-1)
                                            == s.httpPort()
                                    && Integer.valueOf(s.httpPort()).equals(Yamls.at(port, "port")));
                    p.check(ok, where(name) + ": the Service must serve port " + s.httpPort() + " from the container");
                });
            });
        }
        return p.list();
    }

    /**
     * Every service's pods ask Prometheus to scrape {@code /q/metrics} on their HTTP port (the annotations that
     * Prometheus' kubernetes-pods job reads).
     */
    List<String> everyServiceIsScrapedOnItsHttpPort() {
        Problems p = new Problems();
        for (String name : Topology.SERVICES) {
            int port = code.service(name).httpPort();
            deployment(name, p).ifPresent(d -> {
                Map<String, Object> a = Yamls.map(Yamls.at(d, "spec", "template", "metadata", "annotations"));
                p.check(
                        "true".equals(Yamls.str(a.get("prometheus.io/scrape")))
                                && "/q/metrics".equals(Yamls.str(a.get("prometheus.io/path")))
                                && String.valueOf(port).equals(Yamls.str(a.get("prometheus.io/port"))),
                        where(name) + ": pods need prometheus.io/scrape \"true\", path /q/metrics and port " + port
                                + ", have " + a);
            });
        }
        return p.list();
    }

    private void probe(Problems p, String name, Map<String, Object> c, String kind, String path, boolean required) {
        Object probe = c.get(kind);
        if (probe == null) {
            p.check(!required, where(name) + " has no " + kind);
            return;
        }
        Service s = code.service(name);
        p.check(
                path.equals(Yamls.at(probe, "httpGet", "path")),
                where(name) + ": " + kind + " probes " + Yamls.at(probe, "httpGet", "path") + ", the service serves "
                        + path);
        p.check(
                Manifests.port(c, Yamls.at(probe, "httpGet", "port")).orElse(-1)
                        == s.health().port(),
                where(name) + ": " + kind + " must use port " + s.health().port());
    }

    List<String> environmentNamesAreKeysOfTheService() {
        Problems p = new Problems();
        Map<String, Set<String>> secrets = secrets(Repo.read(code.root.resolve(CREATE_SECRETS)));
        for (Map<String, Object> w : m.workloads()) {
            Map<String, Object> c = Manifests.container(w, Manifests.nameOf(w));
            m.environment(c).forEach((name, value) -> {
                p.check(
                        !name.startsWith("missing:") && !name.startsWith("envFrom-secret:"),
                        m.label + " " + Manifests.nameOf(w) + ": " + name
                                + " (use env with secretKeyRef, one variable per key)");
                if (value != null && value.startsWith("secret:")) {
                    String[] ref = value.substring("secret:".length()).split("/");
                    p.check(
                            secrets.getOrDefault(ref[0], Set.of()).contains(ref[1]),
                            m.label + " "
                                    + Manifests.nameOf(w) + ": " + name + " reads Secret " + ref[0] + " key " + ref[1]
                                    + ", which " + CREATE_SECRETS + " does not create (it creates " + secrets + ")");
                }
            });
        }
        for (String name : Topology.SERVICES) {
            if (m.find("Deployment", name).isPresent()) {
                p.addAll(Wiring.keys(where(name), code.service(name), env(name)));
            }
        }
        return p.list();
    }

    /** The Secrets {@code create-secrets.sh} creates, each with its keys (its {@code --from-literal}s). */
    static Map<String, Set<String>> secrets(String script) {
        Map<String, Set<String>> out = new TreeMap<>();
        String current = null;
        for (String line : script.lines().toList()) {
            Matcher n = SECRET_NAME.matcher(line);
            if (n.find()) {
                current = n.group(1);
            }
            Matcher k = SECRET_KEY.matcher(line);
            if (current != null && k.find()) {
                out.computeIfAbsent(current, x -> new TreeSet<>()).add(k.group(1));
            }
        }
        return out;
    }

    List<String> addressesPointAtTheServicesThatListenThere() {
        Problems p = new Problems();
        Map<String, String> kafka = m.workload("kafka")
                .map(w -> m.environment(Manifests.container(w, "kafka")))
                .orElse(Map.of());
        Map<String, String> postgres = m.workload("postgres")
                .map(w -> m.environment(Manifests.container(w, "postgres")))
                .orElse(Map.of());
        int postgresPort = m.find("Service", "postgres")
                .map(s -> Yamls.list(Yamls.at(s, "spec", "ports")))
                .filter(l -> !l.isEmpty())
                .map(l -> (Integer) Yamls.at(l.get(0), "port"))
                .orElse(-1);
        Set<String> partitions = new TreeSet<>();
        for (String name : Topology.SERVICES) {
            Service s = code.service(name);
            Map<String, String> env = env(name);
            p.addAll(Wiring.bootstrap(where(name), s, env, kafka.get("KAFKA_ADVERTISED_LISTENERS")));
            p.addAll(Wiring.storageUrl(where(name), s, env, "storage", code.service("storage")));
            p.addAll(Wiring.datasource(
                    where(name), s, env, "postgres", postgresPort, postgres.get("POSTGRES_DB"), code.root));
            Wiring.valueOf(s, env, "campanile.kafka.worker-partitions").ifPresent(partitions::add);
        }
        p.check(partitions.size() == 1, m.label + ": the services disagree on the worker partitions: " + partitions);
        p.check(m.find("Service", "storage").isPresent(), m.label + " has no Service storage");
        return p.list();
    }

    /**
     * ConfigMap volumes mounted as an {@code initdb.d} folder (PostgreSQL's init scripts) have {@code defaultMode}
     * 0555: executable, so the image's entrypoint runs them as written, and writable by no one. Without it a ConfigMap
     * volume's files are 0644.
     */
    List<String> initScriptsAreExecutableAndReadOnly() {
        Problems p = new Problems();
        int found = 0;
        for (Map<String, Object> w : m.workloads()) {
            Object pod = Yamls.at(w, "spec", "template", "spec");
            Set<String> initVolumes = new TreeSet<>();
            for (Object c : Yamls.list(Yamls.at(pod, "containers"))) {
                for (Object mount : Yamls.list(Yamls.at(c, "volumeMounts"))) {
                    String path = Yamls.str(Yamls.at(mount, "mountPath"));
                    if (path != null && path.replaceAll("/+$", "").endsWith("initdb.d")) {
                        initVolumes.add(Yamls.str(Yamls.at(mount, "name")));
                    }
                }
            }
            for (Object v : Yamls.list(Yamls.at(pod, "volumes"))) {
                if (!initVolumes.contains(Yamls.str(Yamls.at(v, "name"))) || Yamls.at(v, "configMap") == null) {
                    continue;
                }
                found++;
                Object mode = Yamls.at(v, "configMap", "defaultMode");
                p.check(
                        Integer.valueOf(0555).equals(mode),
                        m.label + " " + Manifests.nameOf(w) + ": the ConfigMap "
                                + "volume " + Yamls.at(v, "name")
                                + " holds init scripts and needs defaultMode: 365 (0555), has "
                                + (mode instanceof Integer i ? "0" + Integer.toOctalString(i) : "none (0644)"));
            }
        }
        p.check(
                found > 0 || m.workload("postgres").isEmpty(),
                m.label + ": postgres mounts no ConfigMap of init scripts");
        return p.list();
    }

    List<String> containersRunAsNonRootWithWhatTheSettingsPointAtMounted() {
        Problems p = new Problems();
        for (String name : Topology.SERVICES) {
            m.find("Deployment", name).ifPresent(d -> {
                Map<String, Object> c = Manifests.container(d, name);
                Object podRunAsNonRoot = Yamls.at(d, "spec", "template", "spec", "securityContext", "runAsNonRoot");
                Object runAsNonRoot = Yamls.at(c, "securityContext", "runAsNonRoot");
                p.check(
                        Boolean.TRUE.equals(runAsNonRoot) || Boolean.TRUE.equals(podRunAsNonRoot),
                        where(name) + " must run as non-root");
                p.check(
                        Boolean.TRUE.equals(Yamls.at(c, "securityContext", "readOnlyRootFilesystem")),
                        where(name) + " must have a read-only root file system");
                List<String> mounts = new ArrayList<>();
                Yamls.list(c.get("volumeMounts")).forEach(v -> mounts.add(Yamls.str(Yamls.at(v, "mountPath"))));
                p.check(
                        mounts.contains("/tmp"),
                        where(name) + " needs a writable /tmp (native libraries unpack there)");
                env(name)
                        .forEach((k, v) -> p.check(
                                !k.endsWith("_DIR") || mounts.contains(v),
                                where(name) + ": " + k + "=" + v + " but nothing is mounted there (" + mounts + ")"));
            });
        }
        return p.list();
    }
}
