package io.campanile.deploy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who the NetworkPolicies of a namespace let in to one workload: any source, named namespaces, or workloads of the
 * namespace (by name); and on which ports.
 *
 * @param allPorts whether an ingress rule has no {@code ports}, which Kubernetes reads as every port
 */
record NetworkAccess(
        boolean fromAnywhere, Set<String> namespaces, Set<String> fromServices, Set<Integer> ports, boolean allPorts) {
    private static final String NAMESPACE_LABEL = "kubernetes.io/metadata.name";

    static NetworkAccess of(Manifests m, Map<String, Object> target, List<Map<String, Object>> policies) {
        boolean anywhere = false;
        Set<String> namespaces = new TreeSet<>();
        Set<String> services = new TreeSet<>();
        Set<Integer> ports = new TreeSet<>();
        boolean allPorts = false;
        Map<String, Object> container = Manifests.container(target, Manifests.nameOf(target));
        for (Map<String, Object> policy : policies) {
            if (!Manifests.selects(Yamls.at(policy, "spec", "podSelector"), Manifests.podLabels(target))) {
                continue;
            }
            for (Object rule : Yamls.list(Yamls.at(policy, "spec", "ingress"))) {
                if (Yamls.list(Yamls.at(rule, "ports")).isEmpty()) {
                    allPorts = true;
                }
                for (Object port : Yamls.list(Yamls.at(rule, "ports"))) {
                    ports.add(Manifests.port(container, Yamls.at(port, "port")).orElse(-1));
                }
                List<Object> from = Yamls.list(Yamls.at(rule, "from"));
                if (from.isEmpty()) {
                    anywhere = true;
                }
                for (Object peer : from) {
                    Object nsSelector = Yamls.at(peer, "namespaceSelector");
                    if (Yamls.at(peer, "ipBlock") != null
                            || nsSelector != null && Yamls.map(nsSelector).isEmpty()) {
                        anywhere = true;
                    } else if (nsSelector != null) {
                        namespaces.add(String.valueOf(Yamls.at(nsSelector, "matchLabels", NAMESPACE_LABEL)));
                    } else {
                        for (Map<String, Object> w : m.workloads()) {
                            Object podSelector = Yamls.at(peer, "podSelector");
                            if (Manifests.selects(podSelector, Manifests.podLabels(w))) {
                                services.add(Manifests.nameOf(w));
                            }
                        }
                    }
                }
            }
        }
        return new NetworkAccess(anywhere, namespaces, services, ports, allPorts);
    }
}
