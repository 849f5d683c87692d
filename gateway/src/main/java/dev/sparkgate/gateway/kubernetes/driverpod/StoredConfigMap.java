package dev.sparkgate.gateway.kubernetes.driverpod;

import dev.sparkgate.gateway.kubernetes.steps.ExecutorLabelsStep;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A ConfigMap of this gateway's in the API server (the store that outlives the gateway's pod), labelled with its
 * instance. Each change is an update against the version read (optimistic locking), retried on a conflict, so two
 * writers never lose each other's change.
 */
final class StoredConfigMap {

    private static final int CONFLICT = 409;
    private static final int ATTEMPTS = 20;

    private final KubernetesClient client;
    private final String namespace;
    private final String name;
    private final String instance;
    /** What the gateway keeps in it, for its refusals ("the next session id"). */
    private final String what;

    StoredConfigMap(KubernetesClient client, String namespace, String name, String instance, String what) {
        this.client = client;
        this.namespace = namespace;
        this.name = name;
        this.instance = instance;
        this.what = what;
    }

    /** Its data now; empty when it does not exist yet. */
    Map<String, String> read() {
        ConfigMap current = client.configMaps().inNamespace(namespace).withName(name).get();
        return current == null || current.getData() == null ? Map.of() : Map.copyOf(current.getData());
    }

    /** Replaces its data with {@code next(stored)}, creating it if need be; returns the data it replaced. */
    Map<String, String> change(UnaryOperator<Map<String, String>> next) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            ConfigMap current = client.configMaps().inNamespace(namespace).withName(name).get();
            Map<String, String> stored = current == null || current.getData() == null ? Map.of()
                    : Map.copyOf(current.getData());
            Map<String, String> data = next.apply(stored);
            try {
                if (current == null) {
                    client.configMaps().inNamespace(namespace).resource(new ConfigMapBuilder().withNewMetadata()
                            .withName(name).withNamespace(namespace)
                            .addToLabels(ExecutorLabelsStep.GATEWAY_LABEL, instance).endMetadata()
                            .withData(data).build()).create();
                } else {
                    client.configMaps().inNamespace(namespace)
                            .resource(new ConfigMapBuilder(current).withData(data).build()).update();
                }
                return stored;
            } catch (KubernetesClientException e) {
                if (e.getCode() != CONFLICT) {
                    throw new IllegalStateException("cannot keep " + what + " in ConfigMap " + namespace + "/" + name
                            + " (" + e.getMessage() + "): the gateway's Role needs get, create and update on "
                            + "configmaps (deploy/kubernetes/base/role.yaml)", e);
                }
                // another writer changed it since we read it: read again
            }
        }
        throw new IllegalStateException("ConfigMap " + namespace + "/" + name + " kept changing under this gateway ("
                + ATTEMPTS + " conflicts in a row): is a second gateway running with SPARKGATE_INSTANCE '"
                + instance + "'? Give each gateway its own instance name.");
    }
}
