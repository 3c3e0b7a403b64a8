package io.campanile.deploy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** Autoscaling, disruption budgets and network policies of a manifest set, against the code's topics and keys. */
final class ClusterPolicyChecks {
    /** A namespace allowed in from outside, to Kafka only: the KEDA operator reads consumer-group lag. */
    static final String KEDA_NAMESPACE = "keda";

    /** The other, to every service's HTTP port only: Prometheus scrapes {@code /q/metrics}. */
    static final String MONITORING_NAMESPACE = "monitoring";

    private final Codebase code;
    private final Manifests m;
    private final KubernetesChecks workloads;

    ClusterPolicyChecks(Codebase code, Manifests manifests) {
        this.code = code;
        this.m = manifests;
        this.workloads = new KubernetesChecks(code, manifests);
    }

    /**
     * Each worker's ScaledObject follows its consumer group's lag on its topic, up to {@code maxReplicaCount} = the
     * partitions of that topic as {@code TopicAdmin.layout()} creates it (a literal, or the key that sets it, with the
     * value this deployment gives): more replicas than partitions would sit idle.
     */
    List<String> workersScaleOnTheirConsumerGroupLagUpToThePartitionCount() {
        Problems p = new Problems();
        code.topicLayout.problems().forEach(p::add);
        for (String name : Topology.SERVICES) {
            Service s = code.service(name);
            List<Map<String, Object>> scalers = m.ofKind("ScaledObject").stream()
                    .filter(o -> name.equals(Yamls.at(o, "spec", "scaleTargetRef", "name")))
                    .toList();
            if (!Topology.isWorker(name)) {
                p.check(scalers.isEmpty(), m.label + ": " + name + " is not a worker but has a ScaledObject");
                continue;
            }
            p.check(scalers.size() == 1, m.label + ": " + name + " needs one ScaledObject, has " + scalers.size());
            if (scalers.size() != 1) {
                continue;
            }
            Map<String, Object> so = scalers.get(0);
            Map<String, String> env = workloads.env(name);
            Object replicas = m.find("Deployment", name)
                    .map(d -> Yamls.at(d, "spec", "replicas"))
                    .orElse(null);
            p.check(replicas == null, m.label + ": " + name + " sets replicas, which fights the ScaledObject");
            String topic = code.topicOf(name);
            Optional<String> count = code.topicLayout.partitionsOf(topic);
            p.check(
                    count.isPresent(),
                    m.label + ": " + name + " consumes " + topic + ", which TopicAdmin.layout() does not create");
            String partitions = count.map(c ->
                            c.matches("\\d+") ? c : Wiring.valueOf(s, env, c).orElse("?"))
                    .orElse("?");
            String max = Yamls.str(Yamls.at(so, "spec", "maxReplicaCount"));
            p.check(
                    partitions.equals(max),
                    m.label + ": " + name + " scales to " + max + " replicas but its topic has " + partitions
                            + " partitions");
            Object min = Yamls.at(so, "spec", "minReplicaCount");
            int maxReplicas = max != null && max.matches("\\d+") ? Integer.parseInt(max) : -1;
            p.check(
                    min instanceof Integer i && i >= 1 && i <= maxReplicas,
                    m.label + ": " + name + " minReplicaCount " + min + " must be between 1 and " + max);
            List<Object> kafka = Yamls.list(Yamls.at(so, "spec", "triggers")).stream()
                    .filter(t -> "kafka".equals(Yamls.at(t, "type")))
                    .toList();
            p.check(kafka.size() == 1, m.label + ": " + name + " needs one kafka trigger");
            kafka.stream()
                    .findFirst()
                    .map(t -> Yamls.map(Yamls.at(t, "metadata")))
                    .ifPresent(md -> {
                        String group =
                                Wiring.valueOf(s, env, Topology.GROUP_ID_KEY).orElse(name);
                        expect(p, name, md, "consumerGroup", group);
                        expect(p, name, md, "topic", code.topicOf(name));
                        expect(
                                p,
                                name,
                                md,
                                "bootstrapServers",
                                env.get(KeyRules.env("campanile.kafka.bootstrap-servers")));
                        expect(p, name, md, "offsetResetPolicy", code.autoOffsetReset);
                        p.check(
                                Yamls.str(md.get("lagThreshold")) != null
                                        && Yamls.str(md.get("lagThreshold")).matches("[1-9][0-9]*"),
                                m.label + ": " + name + " needs a positive lagThreshold");
                    });
        }
        return p.list();
    }

    private void expect(Problems p, String name, Map<String, Object> metadata, String field, String expected) {
        String actual = Yamls.str(metadata.get(field));
        p.check(
                expected != null && expected.equals(actual),
                m.label + ": " + name + "'s kafka trigger has " + field + "=" + actual + ", the code says " + expected);
    }

    List<String> everyServiceHasADisruptionBudgetThatAllowsDrains() {
        Problems p = new Problems();
        for (String name : Topology.SERVICES) {
            Optional<Map<String, Object>> d = m.find("Deployment", name);
            if (d.isEmpty()) {
                continue;
            }
            List<Map<String, Object>> pdbs = m.ofKind("PodDisruptionBudget").stream()
                    .filter(b -> Manifests.selects(Yamls.at(b, "spec", "selector"), Manifests.podLabels(d.get())))
                    .toList();
            p.check(pdbs.size() == 1, m.label + ": " + name + " needs one PodDisruptionBudget, has " + pdbs.size());
            Object replicas = Yamls.at(d.get(), "spec", "replicas");
            int least = replicas instanceof Integer r
                    ? r
                    : m.ofKind("ScaledObject").stream()
                            .filter(o -> name.equals(Yamls.at(o, "spec", "scaleTargetRef", "name")))
                            .map(o -> (Integer) Yamls.at(o, "spec", "minReplicaCount"))
                            .findFirst()
                            .orElse(1);
            for (Map<String, Object> pdb : pdbs) {
                Object minAvailable = Yamls.at(pdb, "spec", "minAvailable");
                p.check(
                        !(minAvailable instanceof Integer a) || a < least,
                        m.label + ": " + name + "'s budget keeps " + minAvailable + " of at least " + least
                                + " replicas up: a node drain would block");
            }
        }
        return p.list();
    }

    List<String> networkPoliciesLetInOnlyWhatTheServicesNeed() {
        Problems p = new Problems();
        List<Map<String, Object>> policies = m.ofKind("NetworkPolicy");
        p.check(
                policies.stream()
                        .anyMatch(n -> Yamls.map(Yamls.at(n, "spec", "podSelector"))
                                        .isEmpty()
                                && Yamls.list(Yamls.at(n, "spec", "policyTypes"))
                                        .contains("Ingress")
                                && Yamls.list(Yamls.at(n, "spec", "ingress")).isEmpty()),
                m.label + " needs a default-deny ingress NetworkPolicy (podSelector: {})");
        Set<String> kafkaClients = new TreeSet<>();
        Set<String> storageClients = new TreeSet<>();
        Set<String> databaseClients = new TreeSet<>();
        for (String name : Topology.SERVICES) {
            Service s = code.service(name);
            if (s.keys().contains("campanile.kafka.bootstrap-servers")) {
                kafkaClients.add(name);
            }
            if (s.keys().contains("campanile.storage.url")) {
                storageClients.add(name);
            }
            if (s.datasource()) {
                databaseClients.add(name);
            }
        }
        for (Map<String, Object> target : m.workloads()) {
            String name = Manifests.nameOf(target);
            NetworkAccess access = NetworkAccess.of(m, target, policies);
            int port = code.services.containsKey(name)
                    ? code.service(name).httpPort()
                    : Manifests.port(Manifests.container(target, name), name.equals("kafka") ? "client" : "postgres")
                            .orElse(-1);
            p.check(
                    !access.allPorts(),
                    m.label + ": a policy for " + name + " has an ingress rule without ports, "
                            + "which opens every port; it listens on " + port);
            p.check(
                    access.ports().stream().allMatch(x -> x == port),
                    m.label + ": policies for " + name + " open ports " + access.ports() + ", it listens on " + port);
            if (name.equals(Topology.PUBLIC)) {
                p.check(access.fromAnywhere(), m.label + ": " + name + " must be reachable from outside");
                continue;
            }
            p.check(!access.fromAnywhere(), m.label + ": " + name + " is reachable from outside the namespace");
            Set<String> namespaces = access.namespaces();
            boolean service = code.services.containsKey(name);
            Set<String> outsiders =
                    name.equals("kafka") ? Set.of(KEDA_NAMESPACE) : service ? Set.of(MONITORING_NAMESPACE) : Set.of();
            p.check(outsiders.containsAll(namespaces), m.label + ": " + name + " admits the namespaces " + namespaces);
            p.check(
                    !service || namespaces.contains(MONITORING_NAMESPACE),
                    m.label + ": Prometheus (namespace " + MONITORING_NAMESPACE + ") cannot scrape " + name);
            Set<String> expected = switch (name) {
                case "kafka" -> kafkaClients;
                case "storage" -> storageClients;
                case "postgres" -> databaseClients;
                default -> Set.of();
            };
            p.check(
                    access.fromServices().equals(expected),
                    m.label + ": " + name + " admits " + access.fromServices() + ", the services that need it are "
                            + expected);
        }
        return p.list();
    }
}
