package dev.sparkgate.gateway.kubernetes.driverpod;

import dev.sparkgate.gateway.kubernetes.steps.ExecutorLabelsStep;
import dev.sparkgate.gateway.placement.SessionIds;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.util.Map;

/**
 * Session ids of a gateway whose drivers are pods, kept in the API server (the store that outlives the gateway's pod):
 * a ConfigMap {@code <instance>-session-ids} holding the next id. Each change is an update against the version read
 * (optimistic locking), retried on a conflict, so two writers never hand out the same id. Ids of sessions found after
 * a restart are skipped past too, so a lost or reset ConfigMap still never reuses the id of a running session.
 */
final class ConfigMapSessionIds implements SessionIds {

    static final String KEY = "next-id";
    private static final int CONFLICT = 409;
    private static final int ATTEMPTS = 20;

    private final KubernetesClient client;
    private final String namespace;
    private final String name;
    private final String instance;

    ConfigMapSessionIds(KubernetesClient client, String namespace, String instance) {
        this.client = client;
        this.namespace = namespace;
        this.name = instance + "-session-ids";
        this.instance = instance;
    }

    @Override
    public synchronized int next() {
        return change(stored -> stored + 1);
    }

    @Override
    public synchronized void skipPast(int id) {
        change(stored -> Math.max(stored, id + 1));
    }

    /** Sets the stored next id to {@code next(stored)}; returns the stored one it replaced. */
    private int change(java.util.function.IntUnaryOperator next) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            ConfigMap current = client.configMaps().inNamespace(namespace).withName(name).get();
            int stored = current == null ? 0 : parse(current);
            Map<String, String> data = Map.of(KEY, String.valueOf(next.applyAsInt(stored)));
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
                    throw new IllegalStateException("cannot keep the next session id in ConfigMap " + namespace + "/"
                            + name + " (" + e.getMessage() + "): the gateway's Role needs get, create and update on "
                            + "configmaps (deploy/kubernetes/base/role.yaml)", e);
                }
                // another writer changed it since we read it: read again
            }
        }
        throw new IllegalStateException("ConfigMap " + namespace + "/" + name + " kept changing under this gateway ("
                + ATTEMPTS + " conflicts in a row): is a second gateway running with SPARKGATE_INSTANCE '"
                + instance + "'? Give each gateway its own instance name.");
    }

    private static int parse(ConfigMap map) {
        try {
            String value = map.getData() == null ? null : map.getData().get(KEY);
            return value == null ? 0 : Math.max(0, Integer.parseInt(value.strip()));
        } catch (NumberFormatException e) {
            // The sessions found on start still say which ids were used: recovery skips past them.
            return 0;
        }
    }
}
