package dev.sparkgate.gateway.kubernetes.driverpod;

import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every namespace this gateway has put a driver pod in, besides its own: where a restarted gateway looks for its
 * drivers and reaps what no session owns. With namespaces per user or group ({@link PlacementTemplates}) they cannot be
 * listed in advance, and listing pods cluster-wide would take a ClusterRole over every namespace's pods and Secrets;
 * so each is recorded, before the first pod goes there, in a ConfigMap {@code <instance>-namespaces} in the gateway's
 * own namespace (key {@value #KEY}, one per line).
 */
final class PlacedNamespaces {

    static final String KEY = "namespaces";

    private final StoredConfigMap stored;
    private final String own;
    private final Set<String> recorded = ConcurrentHashMap.newKeySet();

    PlacedNamespaces(KubernetesClient client, String own, String instance) {
        this.stored = new StoredConfigMap(client, own, instance + "-namespaces", instance,
                "the namespaces of this gateway's driver pods");
        this.own = own;
    }

    /** Records {@code namespace} (once), before a driver pod is created there. */
    void add(String namespace) {
        if (namespace.equals(own) || recorded.contains(namespace)) {
            return;
        }
        stored.change(data -> {
            Set<String> all = new TreeSet<>(parse(data));
            all.add(namespace);
            return Map.of(KEY, String.join("\n", all));
        });
        recorded.add(namespace);
    }

    /** The gateway's own namespace, then every one recorded. */
    Set<String> all() {
        Set<String> all = new LinkedHashSet<>();
        all.add(own);
        all.addAll(parse(stored.read()));
        recorded.addAll(all);
        return all;
    }

    private static Set<String> parse(Map<String, String> data) {
        String value = data.get(KEY);
        Set<String> found = new TreeSet<>();
        if (value != null) {
            Arrays.stream(value.split("\n")).map(String::trim).filter(n -> !n.isEmpty()).forEach(found::add);
        }
        return found;
    }
}
