package io.campanile.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A set of Kubernetes objects: either a kustomization read the way kustomize reads the features the base uses
 * (resources and configMapGenerator, names not hashed), or the output of {@code kubectl kustomize}.
 */
final class Manifests {
    final String label;
    final List<Map<String, Object>> objects = new ArrayList<>();

    private Manifests(String label) {
        this.label = label;
    }

    /** Reads a kustomization without kustomize: its resources plus the ConfigMaps its generators make. */
    static Manifests read(Path dir) {
        Manifests m = new Manifests(dir.toString());
        m.include(dir);
        return m;
    }

    /** Renders a kustomization with {@code kubectl kustomize}, when kubectl is installed. */
    static Optional<Manifests> render(Path dir) {
        if (!kubectlAvailable()) {
            return Optional.empty();
        }
        try {
            Path out = Files.createTempFile("kustomize", ".yaml");
            Process p = new ProcessBuilder("kubectl", "kustomize", dir.toString())
                    .redirectErrorStream(false)
                    .redirectOutput(out.toFile())
                    .start();
            String err = new String(p.getErrorStream().readAllBytes());
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("kubectl kustomize " + dir + " failed: " + err);
            }
            Manifests m = new Manifests("kubectl kustomize " + dir);
            Yamls.loadAll(out).forEach(o -> m.objects.add(Yamls.map(o)));
            Files.delete(out);
            return Optional.of(m);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static boolean kubectlAvailable() {
        try {
            Process p = new ProcessBuilder("kubectl", "version", "--client")
                    .redirectErrorStream(true)
                    .start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void include(Path dir) {
        Map<String, Object> k = Yamls.load(dir.resolve("kustomization.yaml"));
        for (Object r : Yamls.list(k.get("resources"))) {
            Path p = dir.resolve(String.valueOf(r)).normalize();
            if (Files.isDirectory(p)) {
                include(p);
            } else {
                Yamls.loadAll(p).forEach(o -> objects.add(Yamls.map(o)));
            }
        }
        for (Object g : Yamls.list(k.get("configMapGenerator"))) {
            Map<String, Object> gen = Yamls.map(g);
            Map<String, Object> data = new LinkedHashMap<>();
            literals(gen).forEach(data::put);
            for (Object f : Yamls.list(gen.get("files"))) {
                String file = String.valueOf(f);
                data.put(file.substring(file.lastIndexOf('/') + 1), Repo.read(dir.resolve(file)));
            }
            for (Object e : Yamls.list(gen.get("envs"))) {
                data.putAll(Compose.readEnvFile(dir.resolve(String.valueOf(e))));
            }
            objects.add(Map.of(
                    "apiVersion",
                    "v1",
                    "kind",
                    "ConfigMap",
                    "metadata",
                    Map.of("name", gen.get("name")),
                    "data",
                    data));
        }
    }

    /** NAME=value literals of a generator. */
    static Map<String, String> literals(Map<String, Object> generator) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Object l : Yamls.list(generator.get("literals"))) {
            String s = String.valueOf(l);
            int eq = s.indexOf('=');
            out.put(s.substring(0, eq), s.substring(eq + 1));
        }
        return out;
    }

    List<Map<String, Object>> ofKind(String kind) {
        return objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
    }

    Optional<Map<String, Object>> find(String kind, String name) {
        return ofKind(kind).stream().filter(o -> name.equals(nameOf(o))).findFirst();
    }

    static String nameOf(Map<String, Object> object) {
        return Yamls.str(Yamls.at(object, "metadata", "name"));
    }

    /** Deployments and StatefulSets. */
    List<Map<String, Object>> workloads() {
        List<Map<String, Object>> w = new ArrayList<>(ofKind("Deployment"));
        w.addAll(ofKind("StatefulSet"));
        return w;
    }

    Optional<Map<String, Object>> workload(String name) {
        return workloads().stream().filter(o -> name.equals(nameOf(o))).findFirst();
    }

    /** The container of a workload with the given name, or its first. */
    static Map<String, Object> container(Map<String, Object> workload, String name) {
        List<Object> containers = Yamls.list(Yamls.at(workload, "spec", "template", "spec", "containers"));
        return containers.stream()
                .map(Yamls::map)
                .filter(c -> name.equals(c.get("name")))
                .findFirst()
                .orElse(containers.isEmpty() ? Map.of() : Yamls.map(containers.get(0)));
    }

    static Map<String, Object> podLabels(Map<String, Object> workload) {
        return Yamls.map(Yamls.at(workload, "spec", "template", "metadata", "labels"));
    }

    /**
     * The environment a container gets: envFrom ConfigMaps, then env entries. A Secret reference reads as
     * {@code secret:NAME/KEY}, a field of the pod as {@code fieldRef:PATH}; an unresolvable reference as
     * {@code missing:...}.
     */
    Map<String, String> environment(Map<String, Object> container) {
        Map<String, String> env = new LinkedHashMap<>();
        for (Object from : Yamls.list(container.get("envFrom"))) {
            String cm = Yamls.str(Yamls.at(from, "configMapRef", "name"));
            String secret = Yamls.str(Yamls.at(from, "secretRef", "name"));
            if (cm != null) {
                find("ConfigMap", cm)
                        .ifPresentOrElse(
                                c -> Yamls.map(c.get("data")).forEach((k, v) -> env.put(k, Yamls.str(v))),
                                () -> env.put("missing:configmap:" + cm, ""));
            } else if (secret != null) {
                env.put("envFrom-secret:" + secret, "");
            }
        }
        for (Object e : Yamls.list(container.get("env"))) {
            Map<String, Object> entry = Yamls.map(e);
            String name = Yamls.str(entry.get("name"));
            Object secretRef = Yamls.at(entry, "valueFrom", "secretKeyRef");
            Object cmRef = Yamls.at(entry, "valueFrom", "configMapKeyRef");
            Object fieldRef = Yamls.at(entry, "valueFrom", "fieldRef", "fieldPath");
            if (fieldRef != null) {
                env.put(name, "fieldRef:" + fieldRef);
            } else if (secretRef != null) {
                env.put(name, "secret:" + Yamls.at(secretRef, "name") + "/" + Yamls.at(secretRef, "key"));
            } else if (cmRef != null) {
                env.put(
                        name,
                        find("ConfigMap", Yamls.str(Yamls.at(cmRef, "name")))
                                .map(c -> Yamls.str(Yamls.at(c, "data", Yamls.str(Yamls.at(cmRef, "key")))))
                                .orElse("missing:configmap:" + Yamls.at(cmRef, "name")));
            } else {
                env.put(name, Yamls.str(entry.get("value")));
            }
        }
        return env;
    }

    /** Whether a label selector (matchLabels, matchExpressions In/NotIn/Exists) selects these labels. */
    @SuppressWarnings("unchecked")
    static boolean selects(Object selector, Map<String, Object> labels) {
        if (selector == null) {
            return false;
        }
        for (Map.Entry<String, Object> e :
                Yamls.map(Yamls.at(selector, "matchLabels")).entrySet()) {
            if (!String.valueOf(e.getValue()).equals(Yamls.str(labels.get(e.getKey())))) {
                return false;
            }
        }
        for (Object x : Yamls.list(Yamls.at(selector, "matchExpressions"))) {
            String key = Yamls.str(Yamls.at(x, "key"));
            List<Object> values = Yamls.list(Yamls.at(x, "values"));
            boolean has = labels.containsKey(key);
            boolean ok = switch (Yamls.str(Yamls.at(x, "operator"))) {
                case "In" -> has && values.contains(labels.get(key));
                case "NotIn" -> !has || !values.contains(labels.get(key));
                case "Exists" -> has;
                case "DoesNotExist" -> !has;
                default -> false;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** A container port by name or number. */
    static Optional<Integer> port(Map<String, Object> container, Object ref) {
        if (ref instanceof Integer i) {
            return Optional.of(i);
        }
        return Yamls.list(container.get("ports")).stream()
                .map(Yamls::map)
                .filter(p -> String.valueOf(ref).equals(Yamls.str(p.get("name"))))
                .map(p -> (Integer) p.get("containerPort"))
                .findFirst();
    }
}
